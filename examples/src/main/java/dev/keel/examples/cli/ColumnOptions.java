package dev.keel.examples.cli;

import dev.keel.classifier.Data;
import dev.keel.text.data.LabeledDataset;
import dev.keel.text.data.SkippedRow;
import dev.keel.text.data.TextRows;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;

/**
 * Which columns of a CSV/TSV file hold the text and the label, and whether bad rows are left out:
 * the data options of train, eval, predict and compare, and the reads they share (train, eval and
 * predict with the default columns; compare chooses its own defaults for the bundled reviews).
 */
public final class ColumnOptions {

    public static final String DEFAULT_TEXT = "text";
    public static final String DEFAULT_LABEL = "label";

    /** The command this mixin is part of, for usage errors. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--text-column", paramLabel = "C",
            description = "Column holding the text (default: text; compare on the bundled reviews: review).")
    String textColumn;

    @Option(names = "--label-column", paramLabel = "C",
            description = "Column holding the label (default: label; compare on the bundled reviews: score).")
    String labelColumn;

    @Option(names = "--skip-bad-rows",
            description = "Leave out bad rows (empty text or label, wrong field count) and say how many, instead of stopping at the first.")
    boolean skipBadRows;

    /** {@code --text-column}, else {@code fallback}. */
    String text(String fallback) {
        return textColumn != null ? textColumn : fallback;
    }

    /** {@code --label-column}, else {@code fallback}. */
    String label(String fallback) {
        return labelColumn != null ? labelColumn : fallback;
    }

    /** {@code --text-column}, else {@value #DEFAULT_TEXT}. */
    String textColumn() {
        return text(DEFAULT_TEXT);
    }

    /** {@code --label-column}, else {@value #DEFAULT_LABEL}. */
    String labelColumn() {
        return label(DEFAULT_LABEL);
    }

    /** A usage error when the text and label column are the same one (labeled data needs both). */
    void checkDistinct(String text, String label) {
        if (text.equals(label)) {
            throw Usage.error(command, "--text-column and --label-column name the same column '" + text + "'");
        }
    }

    /** Training rows of {@code file} (the default columns): at least one row and two classes. */
    LabeledDataset readTraining(Path file) {
        checkDistinct(textColumn(), labelColumn());
        return reported(file, Data.readTraining(file, textColumn(), labelColumn(), skipBadRows));
    }

    /** Labeled rows of {@code file} (the default columns), with the ids of {@code labels}. */
    LabeledDataset readLabeled(Path file, List<String> labels) {
        checkDistinct(textColumn(), labelColumn());
        return reported(file, Data.readLabeled(file, textColumn(), labelColumn(), labels, skipBadRows));
    }

    /** The texts of {@code file} in the text column; a label column, if any, is not read. */
    List<String> readTexts(Path file) {
        TextRows rows = Data.readTexts(file, textColumn(), skipBadRows);
        report(file, rows.skippedRows());
        return rows.texts();
    }

    /** {@code rows}, after saying on stderr how many bad rows of {@code file} were left out. */
    static LabeledDataset reported(Path file, LabeledDataset rows) {
        report(file, rows.skippedRows());
        return rows;
    }

    private static void report(Path file, List<SkippedRow> skipped) {
        if (!skipped.isEmpty()) {
            System.err.println("keel: left out " + skipped.size() + " bad row(s) of " + file + ", the first: "
                    + skipped.get(0));
        }
    }
}
