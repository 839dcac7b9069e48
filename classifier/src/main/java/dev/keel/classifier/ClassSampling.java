package dev.keel.classifier;

import dev.keel.core.KeelRandom;

/**
 * The order in which an epoch visits the training rows, by the settings' {@code sampling}:
 * {@code natural} is a shuffle of all rows (each row once); {@code balanced} and {@code sqrt} are
 * class-aware: as many draws as there are rows, each draw's class picked with probability
 * proportional to 1 ({@code balanced}) or to the square root of its row count ({@code sqrt}), then
 * that class's next row from a shuffled cycle through its rows (rare classes' rows come back more
 * often, common classes' rows are not all seen every epoch). Seeded by the run's random source.
 */
final class ClassSampling {

    private ClassSampling() {
    }

    /** Fills {@code order} (length: the rows) for one epoch. */
    static void order(String sampling, int[] order, int[] labels, int classes, KeelRandom random) {
        if (sampling.equals("natural")) {
            random.shuffle(order);
            return;
        }
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        int[][] rowsOf = new int[classes][];
        for (int c = 0; c < classes; c++) {
            rowsOf[c] = new int[counts[c]];
        }
        int[] filled = new int[classes];
        for (int r = 0; r < labels.length; r++) {
            rowsOf[labels[r]][filled[labels[r]]++] = r;
        }
        double[] cumulative = new double[classes];
        double total = 0;
        for (int c = 0; c < classes; c++) {
            total += counts[c] == 0 ? 0 : sampling.equals("balanced") ? 1 : Math.sqrt(counts[c]);
            cumulative[c] = total;
        }
        int[] next = new int[classes];
        for (int c = 0; c < classes; c++) {
            random.shuffle(rowsOf[c]);
        }
        for (int i = 0; i < order.length; i++) {
            double u = random.nextDouble() * total;
            int c = 0;
            while (c < classes - 1 && (u >= cumulative[c] || counts[c] == 0)) {
                c++;
            }
            if (next[c] == rowsOf[c].length) { // a class's rows all drawn: a new cycle in a new order
                random.shuffle(rowsOf[c]);
                next[c] = 0;
            }
            order[i] = rowsOf[c][next[c]++];
        }
    }
}
