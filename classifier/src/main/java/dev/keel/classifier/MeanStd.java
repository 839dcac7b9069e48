package dev.keel.classifier;

/**
 * Mean and sample standard deviation (divisor {@code n - 1}; 0 for a single value) of a metric
 * over seeds. NaN values are skipped; all-NaN gives NaN.
 */
public record MeanStd(double mean, double std, int n) {

    public static MeanStd of(double[] values) {
        int n = 0;
        double sum = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return new MeanStd(Double.NaN, Double.NaN, 0);
        }
        double mean = sum / n;
        double squares = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                squares += (v - mean) * (v - mean);
            }
        }
        return new MeanStd(mean, n > 1 ? Math.sqrt(squares / (n - 1)) : 0, n);
    }
}
