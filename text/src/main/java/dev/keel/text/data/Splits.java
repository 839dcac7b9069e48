package dev.keel.text.data;

import dev.keel.core.KeelRandom;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;

/**
 * Seeded, stratified splits and subsamples of a {@link LabeledDataset}. The same data and seed give
 * the same rows on every JVM ({@link KeelRandom}); results keep file order (rows ascending) and the
 * input's label names and ids.
 */
public final class Splits {

    private Splits() {
    }

    /** A training part and a validation part of one dataset. */
    public record Split(LabeledDataset train, LabeledDataset validation) {
    }

    /**
     * Splits every class separately: {@code round(validationFraction * n)} of a class's {@code n}
     * rows, drawn at random, go to validation, the rest to training; a class with at least 2 rows
     * puts at least one row in each part, a class with 1 row puts it in training.
     *
     * @param validationFraction in (0, 1)
     */
    public static Split stratified(LabeledDataset data, double validationFraction, long seed) {
        boolean[] validation = stratifiedValidation(data, validationFraction, seed);
        int validationCount = 0;
        for (boolean v : validation) {
            validationCount += v ? 1 : 0;
        }
        int[] trainRows = new int[data.size() - validationCount];
        int[] validationRows = new int[validationCount];
        for (int r = 0, t = 0, v = 0; r < validation.length; r++) {
            if (validation[r]) {
                validationRows[v++] = r;
            } else {
                trainRows[t++] = r;
            }
        }
        return new Split(data.subset(trainRows), data.subset(validationRows));
    }

    /** Which rows {@link #stratified} puts in validation. */
    public static boolean[] stratifiedValidation(LabeledDataset data, double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 1), got " + validationFraction);
        }
        KeelRandom random = new KeelRandom(seed);
        int[][] byClass = data.rowsByClass();
        boolean[] validation = new boolean[data.size()];
        for (int[] rows : byClass) {
            int n = rows.length;
            int take = (int) Math.round(validationFraction * n);
            if (n >= 2) {
                take = Math.max(1, Math.min(n - 1, take));
            } else {
                take = 0;
            }
            random.shuffle(rows);
            for (int k = 0; k < take; k++) {
                validation[rows[k]] = true;
            }
        }
        return validation;
    }

    /**
     * Stratified folds: each class's rows, in random order, are dealt to the {@code folds} folds in
     * turn (so every fold holds a class's rows within one of each other), the deal of each class
     * starting where the previous class's ended. Returns the fold of each row.
     *
     * @param folds at least 2
     */
    public static int[] stratifiedFolds(LabeledDataset data, int folds, long seed) {
        if (folds < 2) {
            throw new IllegalArgumentException("folds must be at least 2, got " + folds);
        }
        KeelRandom random = new KeelRandom(seed);
        int[] foldOfRow = new int[data.size()];
        int next = 0;
        for (int[] rows : data.rowsByClass()) {
            random.shuffle(rows);
            for (int row : rows) {
                foldOfRow[row] = next;
                next = (next + 1) % folds;
            }
        }
        return foldOfRow;
    }

    /** The rows of {@code fold} ({@code inside}) or of every other fold, in file order. */
    public static int[] rowsOf(int[] foldOfRow, int fold, boolean inside) {
        int count = 0;
        for (int f : foldOfRow) {
            count += (f == fold) == inside ? 1 : 0;
        }
        int[] rows = new int[count];
        for (int r = 0, k = 0; r < foldOfRow.length; r++) {
            if ((foldOfRow[r] == fold) == inside) {
                rows[k++] = r;
            }
        }
        return rows;
    }

    /**
     * Exactly {@code composition.get(name)} random rows of each label, e.g.
     * {@code {great=2000, other=1000}}. The composition must name every label of the data (0 leaves
     * one out), so no class disappears by omission.
     *
     * @throws IllegalArgumentException for an unknown or missing label, a negative count, a class
     *     with fewer rows than asked, or a total of zero
     */
    public static LabeledDataset subsample(LabeledDataset data, Map<String, Integer> composition, long seed) {
        int[] want = new int[data.numClasses()];
        for (Map.Entry<String, Integer> entry : composition.entrySet()) {
            int id = data.labelNames().indexOf(entry.getKey());
            if (id < 0) {
                throw new IllegalArgumentException("composition names label '" + entry.getKey() + "', not in "
                        + data.source() + " (labels: " + data.labelNames() + ")");
            }
            if (entry.getValue() == null || entry.getValue() < 0) {
                throw new IllegalArgumentException("composition asks " + entry.getValue() + " rows of '"
                        + entry.getKey() + "': counts must be non-negative");
            }
            want[id] = entry.getValue();
        }
        TreeSet<String> missing = new TreeSet<>(data.labelNames());
        missing.removeAll(composition.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("composition must name every label (0 leaves one out); missing "
                    + missing);
        }
        return draw(data, want, seed);
    }

    /**
     * A two-class subsample with {@code majority : minority = ratio} rows, keeping as many rows as
     * possible: all minority rows and {@code round(ratio * minority)} majority rows when the
     * majority has that many, otherwise all majority rows and {@code round(majority / ratio)}
     * minority rows.
     *
     * @param majorityLabel the label that should be the larger class
     * @param ratio at least 1
     * @throws IllegalArgumentException when the data has not exactly two labels, the label is unknown,
     *     or the result would leave a class empty
     */
    public static LabeledDataset subsampleToRatio(LabeledDataset data, String majorityLabel, double ratio, long seed) {
        if (data.numClasses() != 2) {
            throw new IllegalArgumentException("a ratio subsample needs exactly two labels; " + data.source()
                    + " has " + data.numClasses() + ": " + data.labelNames());
        }
        if (!(ratio >= 1) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("ratio (majority : minority) must be finite and at least 1, got " + ratio);
        }
        int major = data.labelIdOf(majorityLabel);
        int minor = 1 - major;
        int[] counts = data.classCounts();
        int[] want = new int[2];
        if (counts[major] >= ratio * counts[minor]) {
            want[minor] = counts[minor];
            want[major] = (int) Math.round(ratio * counts[minor]);
        } else {
            want[major] = counts[major];
            want[minor] = (int) Math.round(counts[major] / ratio);
        }
        if (want[major] == 0 || want[minor] == 0) {
            throw new IllegalArgumentException("a " + ratio + ":1 subsample of " + data.labelNames().get(major) + " "
                    + counts[major] + " : " + data.labelNames().get(minor) + " " + counts[minor]
                    + " rows would leave a class empty");
        }
        return draw(data, want, seed);
    }

    /** {@code want[id]} random rows of each class id. */
    private static LabeledDataset draw(LabeledDataset data, int[] want, long seed) {
        int[][] byClass = data.rowsByClass();
        int total = 0;
        for (int id = 0; id < want.length; id++) {
            if (want[id] > byClass[id].length) {
                throw new IllegalArgumentException("label '" + data.labelNames().get(id) + "' has "
                        + byClass[id].length + " rows in " + data.source() + ", cannot draw " + want[id]);
            }
            total += want[id];
        }
        if (total == 0) {
            throw new IllegalArgumentException("the subsample would have no rows");
        }
        KeelRandom random = new KeelRandom(seed);
        int[] chosen = new int[total];
        int at = 0;
        for (int id = 0; id < want.length; id++) {
            int[] rows = byClass[id];
            random.shuffle(rows);
            System.arraycopy(rows, 0, chosen, at, want[id]);
            at += want[id];
        }
        Arrays.sort(chosen);
        return data.subset(chosen);
    }
}
