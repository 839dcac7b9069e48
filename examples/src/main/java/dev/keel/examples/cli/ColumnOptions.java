package dev.keel.examples.cli;

import picocli.CommandLine.Option;

/** Which columns of a CSV/TSV file hold the text and the label. */
public final class ColumnOptions {

    public static final String DEFAULT_TEXT = "text";
    public static final String DEFAULT_LABEL = "label";

    @Option(names = "--text-column", paramLabel = "C",
            description = "Column holding the text (default: text; compare on the bundled reviews: review).")
    String textColumn;

    @Option(names = "--label-column", paramLabel = "C",
            description = "Column holding the label (default: label; compare on the bundled reviews: score).")
    String labelColumn;

    @Option(names = "--skip-bad-rows",
            description = "Leave out bad rows (empty text or label, wrong field count) and say how many, instead of stopping at the first.")
    boolean skipBadRows;

    String text(String fallback) {
        return textColumn != null ? textColumn : fallback;
    }

    String label(String fallback) {
        return labelColumn != null ? labelColumn : fallback;
    }
}
