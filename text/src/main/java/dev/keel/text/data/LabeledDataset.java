package dev.keel.text.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Labeled texts: row {@code r} has a text, a label id and the source line it came from. Label names
 * are strings; ids follow the sorted order of the names ({@link String#compareTo}) unless set
 * explicitly with {@link #withLabelNames} (to give a test set the training set's ids). Immutable.
 */
public final class LabeledDataset {

    /** The texts, their lines and the skipped rows. */
    private final TextRows rows;
    private final int[] labelIds;
    private final List<String> labelNames;

    private LabeledDataset(TextRows rows, int[] labelIds, List<String> labelNames) {
        this.rows = rows;
        this.labelIds = labelIds;
        this.labelNames = labelNames;
    }

    /**
     * A dataset from parallel lists of texts and label names (ids by sorted name); lines are
     * numbered from 1 in list order.
     */
    public static LabeledDataset of(String source, List<String> texts, List<String> labels) {
        int[] lines = new int[texts.size()];
        Arrays.setAll(lines, r -> r + 1);
        return fromNames(source, texts, labels, lines, List.of());
    }

    static LabeledDataset fromNames(String source, List<String> texts, List<String> labels, int[] lines,
                                    List<SkippedRow> skipped) {
        if (texts.size() != labels.size() || texts.size() != lines.length) {
            throw new IllegalArgumentException(texts.size() + " texts, " + labels.size() + " labels, "
                    + lines.length + " lines: they must match");
        }
        List<String> names = List.copyOf(new TreeSet<>(labels));
        Map<String, Integer> idOf = new LinkedHashMap<>();
        for (String name : names) {
            idOf.put(name, idOf.size());
        }
        int[] ids = new int[labels.size()];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = idOf.get(labels.get(r));
        }
        return new LabeledDataset(TextRows.of(source, texts, lines, skipped), ids, names);
    }

    /** Where the rows came from (a file name). */
    public String source() {
        return rows.source();
    }

    /** The number of rows. */
    public int size() {
        return rows.size();
    }

    public String text(int row) {
        return rows.text(row);
    }

    /** All texts, in row order (a read-only view). */
    public List<String> texts() {
        return rows.texts();
    }

    public int labelId(int row) {
        return labelIds[rows.checkRow(row)];
    }

    /** A copy of every row's label id. */
    public int[] labelIds() {
        return labelIds.clone();
    }

    /** The label name of {@code row}. */
    public String label(int row) {
        return labelNames.get(labelId(row));
    }

    /** Every label name, in id order. */
    public List<String> labelNames() {
        return labelNames;
    }

    public int numClasses() {
        return labelNames.size();
    }

    /** The id of label {@code name}. */
    public int labelIdOf(String name) {
        int id = labelNames.indexOf(name);
        if (id < 0) {
            throw new IllegalArgumentException("no label '" + name + "' in " + source() + "; labels: " + labelNames);
        }
        return id;
    }

    /** The source line where {@code row} starts. */
    public int line(int row) {
        return rows.line(row);
    }

    /** The rows left out by a reader that skips bad rows (empty otherwise). */
    public List<SkippedRow> skippedRows() {
        return rows.skippedRows();
    }

    /** The number of rows of each label id. */
    public int[] classCounts() {
        int[] counts = new int[labelNames.size()];
        for (int id : labelIds) {
            counts[id]++;
        }
        return counts;
    }

    /** Label name to row count, in id order. */
    public Map<String, Integer> classCountsByName() {
        int[] counts = classCounts();
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int id = 0; id < counts.length; id++) {
            map.put(labelNames.get(id), counts[id]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** E.g. {@code "train.csv: 4000 rows; great 2600 (65.0%), other 1400 (35.0%); 0 skipped"}. */
    public String summary() {
        StringBuilder sb = new StringBuilder(source()).append(": ").append(size()).append(" rows; ");
        int[] counts = classCounts();
        for (int id = 0; id < counts.length; id++) {
            sb.append(id == 0 ? "" : ", ").append(labelNames.get(id)).append(' ').append(counts[id])
                    .append(String.format(Locale.ROOT, " (%.1f%%)", 100.0 * counts[id] / Math.max(1, size())));
        }
        return sb.append("; ").append(skippedRows().size()).append(" skipped").toString();
    }

    /**
     * The rows {@code rows} (in that order, repeats allowed), with the same label names and ids.
     * The subset carries no skipped rows.
     */
    public LabeledDataset subset(int[] rows) {
        int[] ids = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            ids[k] = labelIds[this.rows.checkRow(rows[k])];
        }
        return new LabeledDataset(this.rows.subset(rows), ids, labelNames);
    }

    /**
     * The same rows with label ids following {@code names} (which may name labels no row has, e.g.
     * a class missing from a test file).
     *
     * @throws IllegalArgumentException when a row's label is not in {@code names}, or names repeat
     */
    public LabeledDataset withLabelNames(List<String> names) {
        if (new TreeSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("label names repeat: " + names);
        }
        int[] remap = new int[labelNames.size()];
        for (int id = 0; id < remap.length; id++) {
            remap[id] = names.indexOf(labelNames.get(id));
        }
        int[] ids = new int[labelIds.length];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = remap[labelIds[r]];
            if (ids[r] < 0) {
                throw new IllegalArgumentException(source() + " line " + rows.line(r) + ": label '"
                        + labelNames.get(labelIds[r]) + "' is not among " + names);
            }
        }
        return new LabeledDataset(rows, ids, List.copyOf(names));
    }

    @Override
    public String toString() {
        return summary();
    }

    /** The rows of each class id, ascending (for stratified sampling). */
    int[][] rowsByClass() {
        int[] counts = classCounts();
        int[][] byClass = new int[counts.length][];
        for (int id = 0; id < counts.length; id++) {
            byClass[id] = new int[counts[id]];
        }
        int[] filled = new int[counts.length];
        for (int r = 0; r < labelIds.length; r++) {
            byClass[labelIds[r]][filled[labelIds[r]]++] = r;
        }
        return byClass;
    }
}
