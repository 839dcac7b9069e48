package dev.keel.nn.loss;

/** Plain-loop loss kernels: the reference path, and the fallback where the Vector API is absent. */
final class ScalarLossKernels extends LossKernels {

    static final ScalarLossKernels INSTANCE = new ScalarLossKernels();

    private ScalarLossKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    double softmax(FusedLoss loss, float[] logits, int rowStart, int rowEnd, int classes, int[] targets,
                   float gradScale, float[] grad, float[] rowLoss, float[] rowPt) {
        return softmaxByRow(loss, logits, rowStart, rowEnd, classes, targets, gradScale, grad, rowLoss, rowPt);
    }

    @Override
    double binary(FusedLoss loss, float[] logits, int rowStart, int rowEnd, int[] targets,
                  float gradScale, float[] grad, float[] rowLoss, float[] rowPt) {
        LossRow row = new LossRow();
        double total = 0;
        for (int i = rowStart; i < rowEnd; i++) {
            if (!Float.isFinite(logits[i])) {
                return Double.NaN;
            }
            row.binary(loss.kind, logits[i], targets[i]);
            total += row.record(i, rowLoss, rowPt);
            if (grad != null) {
                grad[i] = (float) (gradScale * row.coefficient * row.signedQ);
            }
        }
        return total;
    }

    @Override
    float finiteMax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, x[off + j]);
            min = Math.min(min, x[off + j]);
        }
        return n == 0 ? max : max + (min - min); // min - min is NaN for an infinite min, max keeps NaN and +inf
    }

    @Override
    void expShifted(float[] x, int xo, float shift, float[] out, int oo, int n) {
        for (int j = 0; j < n; j++) {
            out[oo + j] = (float) Math.exp(x[xo + j] - shift);
        }
    }

    @Override
    double sum(float[] x, int off, int n) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += x[off + j];
        }
        return sum;
    }

    @Override
    void scale(float[] x, int off, int n, float factor) {
        for (int j = 0; j < n; j++) {
            x[off + j] *= factor;
        }
    }
}
