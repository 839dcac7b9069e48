package dev.keel.classifier;

import java.util.Arrays;

/**
 * Classification metrics from logits and true labels. Conventions (as scikit-learn's with
 * {@code zero_division=0}): a class never predicted has precision 0, a class never present has
 * recall 0, and F1 is 0 when precision + recall is 0.
 */
public final class Metrics {

    private Metrics() {
    }

    /** The metrics of one evaluation; per-class arrays are in label index order. */
    public record Evaluation(int rows, double accuracy, double macroF1, double[] precision, double[] recall,
                             double[] f1, int minority, double minorityPrAuc, double nll, int[][] confusion) {

        public double minorityRecall() {
            return recall[minority];
        }
    }

    /**
     * Evaluates {@code rows x classes} logits against {@code labels}; the minority class's PR-AUC
     * ranks rows by its softmax probability.
     */
    public static Evaluation evaluate(float[] logits, int rows, int classes, int[] labels, int minority) {
        return evaluate(logits, rows, classes, labels, minority, argmax(logits, rows, classes));
    }

    /**
     * As {@link #evaluate(float[], int, int, int[], int)} with the decisions already made (a
     * {@link DecisionRule}'s): accuracy, F1 and the confusion matrix from {@code predicted}, PR-AUC
     * and NLL from the logits.
     */
    public static Evaluation evaluate(float[] logits, int rows, int classes, int[] labels, int minority,
                                      int[] predicted) {
        int[][] confusion = confusion(labels, predicted, classes);
        double[] precision = new double[classes];
        double[] recall = new double[classes];
        double[] f1 = new double[classes];
        perClass(confusion, precision, recall, f1);
        double[] minorityScore = new double[rows];
        boolean[] isMinority = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            minorityScore[r] = Math.exp(logSoftmax(logits, r, classes, minority));
            isMinority[r] = labels[r] == minority;
        }
        return new Evaluation(rows, accuracy(labels, predicted), mean(f1), precision, recall, f1, minority,
                averagePrecision(minorityScore, isMinority), nll(logits, rows, classes, labels), confusion);
    }

    /** The index of the largest logit per row (the first on ties). */
    public static int[] argmax(float[] logits, int rows, int classes) {
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int j = 1; j < classes; j++) {
                if (logits[r * classes + j] > logits[r * classes + best]) {
                    best = j;
                }
            }
            out[r] = best;
        }
        return out;
    }

    public static double accuracy(int[] labels, int[] predicted) {
        if (labels.length == 0) {
            return Double.NaN;
        }
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == predicted[i]) {
                right++;
            }
        }
        return (double) right / labels.length;
    }

    /** {@code confusion[true][predicted]} counts. */
    public static int[][] confusion(int[] labels, int[] predicted, int classes) {
        int[][] c = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            c[labels[i]][predicted[i]]++;
        }
        return c;
    }

    /** Per-class precision, recall and F1 from a confusion matrix, into the three arrays. */
    public static void perClass(int[][] confusion, double[] precision, double[] recall, double[] f1) {
        int k = confusion.length;
        for (int c = 0; c < k; c++) {
            long tp = confusion[c][c];
            long actual = 0;
            long predicted = 0;
            for (int j = 0; j < k; j++) {
                actual += confusion[c][j];
                predicted += confusion[j][c];
            }
            precision[c] = predicted == 0 ? 0 : (double) tp / predicted;
            recall[c] = actual == 0 ? 0 : (double) tp / actual;
            double s = precision[c] + recall[c];
            f1[c] = s == 0 ? 0 : 2 * precision[c] * recall[c] / s;
        }
    }

    /** Mean F1 over classes (every class counts equally, whatever its size). */
    public static double macroF1(int[] labels, int[] predicted, int classes) {
        double[] p = new double[classes];
        double[] r = new double[classes];
        double[] f = new double[classes];
        perClass(confusion(labels, predicted, classes), p, r, f);
        return mean(f);
    }

    /**
     * Average precision, the area under the precision-recall curve as scikit-learn's
     * {@code average_precision_score} computes it: {@code sum_n (R_n - R_{n-1}) P_n} over the
     * distinct score thresholds, highest first (rows with equal scores enter together).
     * NaN when there is no positive row.
     */
    public static double averagePrecision(double[] scores, boolean[] positive) {
        int n = scores.length;
        int positives = 0;
        for (boolean p : positive) {
            if (p) {
                positives++;
            }
        }
        if (positives == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        double ap = 0;
        int tp = 0;
        int seen = 0;
        double lastRecall = 0;
        for (int i = 0; i < n; ) {
            double threshold = scores[order[i]];
            while (i < n && scores[order[i]] == threshold) {
                if (positive[order[i]]) {
                    tp++;
                }
                seen++;
                i++;
            }
            double recall = (double) tp / positives;
            ap += (recall - lastRecall) * ((double) tp / seen);
            lastRecall = recall;
        }
        return ap;
    }

    /** Mean negative log-likelihood of the true classes under softmax(logits): plain cross entropy. */
    public static double nll(float[] logits, int rows, int classes, int[] labels) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            sum -= logSoftmax(logits, r, classes, labels[r]);
        }
        return rows == 0 ? Double.NaN : sum / rows;
    }

    /** {@code log softmax(logits[row])[j]}, in double, max-shifted. */
    public static double logSoftmax(float[] logits, int row, int classes, int j) {
        int o = row * classes;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[o + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[o + c] - max);
        }
        return logits[o + j] - max - Math.log(sum);
    }

    static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }
}
