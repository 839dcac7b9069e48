package dev.keel.text.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Texts without labels, as {@link LabeledTextReader#readTexts} reads them (data to predict on): row
 * {@code r} has a text and the source line it came from, in file order. Immutable. A
 * {@link LabeledDataset} is these rows plus a label each.
 */
public final class TextRows {

    private final String source;
    private final String[] texts;
    private final int[] lines;
    private final List<SkippedRow> skipped;

    /** The arrays are kept, not copied: callers hand over fresh ones. */
    private TextRows(String source, String[] texts, int[] lines, List<SkippedRow> skipped) {
        this.source = source;
        this.texts = texts;
        this.lines = lines;
        this.skipped = skipped;
    }

    /** Rows from parallel lists; {@code lines} is kept, not copied. */
    static TextRows of(String source, List<String> texts, int[] lines, List<SkippedRow> skipped) {
        if (texts.size() != lines.length) {
            throw new IllegalArgumentException(texts.size() + " texts, " + lines.length + " lines: they must match");
        }
        String[] textArray = texts.toArray(new String[0]);
        for (int r = 0; r < textArray.length; r++) {
            if (textArray[r] == null) {
                throw new IllegalArgumentException("text of row " + r + " is null");
            }
        }
        return new TextRows(source, textArray, lines, List.copyOf(skipped));
    }

    /** Where the rows came from (a file name). */
    public String source() {
        return source;
    }

    /** The number of rows. */
    public int size() {
        return texts.length;
    }

    public String text(int row) {
        return texts[checkRow(row)];
    }

    /** All texts, in row order (a read-only view). */
    public List<String> texts() {
        return Collections.unmodifiableList(Arrays.asList(texts));
    }

    /** The source line where {@code row} starts. */
    public int line(int row) {
        return lines[checkRow(row)];
    }

    /** The rows left out by a reader that skips bad rows (empty otherwise). */
    public List<SkippedRow> skippedRows() {
        return skipped;
    }

    /** The rows {@code rows} (in that order, repeats allowed), without skipped rows. */
    TextRows subset(int[] rows) {
        String[] t = new String[rows.length];
        int[] l = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            int r = checkRow(rows[k]);
            t[k] = texts[r];
            l[k] = lines[r];
        }
        return new TextRows(source, t, l, List.of());
    }

    /** {@code row}, checked to be a row. */
    int checkRow(int row) {
        if (row < 0 || row >= texts.length) {
            throw new IndexOutOfBoundsException("row " + row + " of " + texts.length + " in " + source);
        }
        return row;
    }

    /** E.g. {@code "new.csv: 120 rows; 0 skipped"}. */
    @Override
    public String toString() {
        return source + ": " + texts.length + " rows; " + skipped.size() + " skipped";
    }
}
