package dev.keel.examples.engine;

import dev.keel.nn.loss.Loss;

/**
 * Interim softmax losses (mean over rows) as {@code shared/spec/losses.md} defines them, used until
 * {@code dev.keel.nn.loss.Losses} lands.
 */
public final class InterimLoss implements Loss {

    private final String kind;
    private final double margin;
    private final double sharpness;
    private final double gamma;
    private final double[] classFactor; // weights (weighted_ce) or alpha (focal); null = all 1

    public InterimLoss(String kind, double margin, double sharpness, double gamma, double[] classFactor) {
        this.kind = kind;
        this.margin = margin;
        this.sharpness = sharpness;
        this.gamma = gamma;
        this.classFactor = classFactor;
    }

    @Override
    public double compute(float[] logits, int rows, int classes, int[] targets, float[] grad) {
        double total = 0;
        double weightSum = 0;
        double[] p = new double[classes];
        double[] rowScale = new double[rows];
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            int t = targets[r];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, logits[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(logits[o + j] - max);
            }
            double lse = max + Math.log(sum);
            double q = 0;
            for (int j = 0; j < classes; j++) {
                p[j] = Math.exp(logits[o + j] - lse);
                if (j != t) {
                    q += p[j];
                }
            }
            double logPt = logits[o + t] - lse;
            double pt = p[t];
            double a = classFactor == null ? 1 : classFactor[t];
            double loss;
            double scale; // d l / d z_j = scale * (p_j - [j = t])
            switch (kind) {
                case "ce" -> {
                    loss = -logPt;
                    scale = 1;
                }
                case "weighted_ce" -> {
                    loss = -a * logPt;
                    scale = a;
                    weightSum += a;
                }
                case "gated" -> {
                    double g = pt < margin ? 1 : pt == margin ? 0.5 : 0;
                    loss = -g * logPt;
                    scale = g;
                }
                case "soft_gated" -> {
                    double s = 1 / (1 + Math.exp(-sharpness * (margin - pt)));
                    loss = -s * logPt;
                    scale = s - sharpness * s * (1 - s) * pt * logPt;
                }
                case "focal" -> {
                    double qg = gamma == 0 ? 1 : Math.pow(q, gamma);
                    double ratio = q < 1e-30 ? -1 : logPt / q; // log p / q -> -1 as q -> 0
                    loss = -a * qg * logPt;
                    scale = a * (qg - gamma * pt * qg * ratio);
                }
                default -> throw new IllegalStateException(kind);
            }
            total += loss;
            rowScale[r] = scale;
            if (grad != null) {
                for (int j = 0; j < classes; j++) {
                    grad[o + j] = (float) (scale * (p[j] - (j == t ? 1 : 0)));
                }
            }
        }
        double denominator = kind.equals("weighted_ce") ? weightSum : rows;
        if (grad != null) {
            float inv = (float) (1 / denominator);
            for (int i = 0; i < rows * classes; i++) {
                grad[i] *= inv;
            }
        }
        return total / denominator;
    }
}
