package dev.keel.nn.autograd;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.nn.loss.Loss;
import dev.keel.nn.ops.BagOps;
import dev.keel.nn.ops.DenseOps;
import dev.keel.nn.ops.ElementOps;

import java.util.Arrays;

/**
 * Operations that take more than tensors (ids, a random source, a loss kernel), in the manner
 * of PyTorch's {@code torch.nn.functional}: {@link #linear}, {@link #dropout}, {@link #embedding},
 * {@link #embeddingBag} and the fused {@link #loss} node. The tensor-only operations are methods
 * of {@link Value}. The arithmetic is {@code dev.keel.nn.ops}', the same the classifier's fused
 * training step and inference run.
 */
public final class Functional {

    private Functional() {
    }

    /**
     * {@code x [m x k] . weight[n x k]^T + bias [n]}: a dense layer with PyTorch's weight layout
     * (one row per output), computed by {@link DenseOps}. {@code bias} may be null.
     */
    public static Value linear(Value x, Value weight, Value bias) {
        Tensor xd = x.data();
        Tensor w = weight.data();
        requireMatrix(xd, "linear input");
        requireMatrix(w, "linear weight");
        int rows = xd.dim(0), in = w.dim(1), n = w.dim(0);
        if (xd.dim(1) != in) {
            throw new IllegalArgumentException("linear: input of shape " + Arrays.toString(xd.shape())
                    + " does not fit weight of shape " + Arrays.toString(w.shape()));
        }
        Tensor b = bias == null ? null : bias.data();
        if (b != null && (b.rank() != 1 || b.size() != n)) {
            throw new IllegalArgumentException("linear: bias of shape " + Arrays.toString(bias.shape())
                    + " does not fit weight of shape " + Arrays.toString(w.shape()));
        }
        Tensor out = Tensor.zeros(rows, n);
        DenseOps.forward(w.data(), w.offset(), b == null ? null : b.data(), b == null ? 0 : b.offset(), in, n,
                xd.data(), xd.offset(), rows, out.data(), out.offset());
        Value.Backward rule = g -> {
            Tensor dw = weight.requiresGrad() ? weight.gradBuffer() : null;
            Tensor db = bias != null && bias.requiresGrad() ? bias.gradBuffer() : null;
            Tensor dx = x.requiresGrad() ? x.gradBuffer() : null;
            DenseOps.backward(w.data(), w.offset(), in, n, xd.data(), xd.offset(), rows, g.data(), g.offset(),
                    dw == null ? null : dw.data(), dw == null ? 0 : dw.offset(),
                    db == null ? null : db.data(), db == null ? 0 : db.offset(),
                    dx == null ? null : dx.data(), dx == null ? 0 : dx.offset());
        };
        return bias == null ? Value.fromOp("linear", out, rule, x, weight)
                : Value.fromOp("linear", out, rule, x, weight, bias);
    }

    /**
     * Inverted dropout: in training, each element is zeroed with probability {@code p} and the
     * others scaled by {@code 1 / (1 - p)}, so the expectation is unchanged; outside training, or
     * with {@code p == 0}, the input itself. The mask comes from {@code random}
     * ({@link ElementOps#dropoutMask}: the same seed gives the same mask).
     */
    public static Value dropout(Value x, float p, KeelRandom random, boolean training) {
        ElementOps.checkDropoutProbability(p);
        if (!training || p == 0f) {
            return x;
        }
        Tensor mask = Tensor.zeros(x.shape());
        ElementOps.dropoutMask(random, p, mask.data(), 0, mask.size());
        Tensor out = x.data().mul(mask);
        return Value.fromOp("dropout", out, g -> x.accumulateGrad(g.mul(mask)), x);
    }

    /** Rows {@code ids[i]} of {@code weight [rows x dim]}: shape {@code [ids.length x dim]}. */
    public static Value embedding(Value weight, int[] ids) {
        Tensor w = weight.data();
        requireMatrix(w, "embedding weight");
        int dim = w.dim(1);
        checkIds(ids, ids.length, w.dim(0));
        Tensor out = w.gatherRows(ids);
        return Value.fromOp("embedding", out, g -> {
            for (int i = 0; i < ids.length; i++) {
                weight.accumulateGradRow(ids[i], 1f, g.data(), g.offset() + i * dim);
            }
        }, weight);
    }

    /**
     * One vector per bag: the sum or mean of the rows of {@code weight} named by the bag's ids,
     * as PyTorch's {@code EmbeddingBag} with {@code include_last_offset=True}. Bag {@code b} holds
     * {@code ids[offsets[b] .. offsets[b + 1])}, so {@code offsets} has one entry more than there
     * are bags, starts at 0, never decreases and ends at {@code ids.length}. Empty bags give zeros.
     * The gradient goes only to the rows used (row-sparse for a sparse {@link Parameter}).
     */
    public static Value embeddingBag(Value weight, int[] ids, int[] offsets, BagMode mode) {
        return embeddingBag(weight, ids, offsets, mode, null);
    }

    /**
     * As {@link #embeddingBag(Value, int[], int[], BagMode)} with PyTorch's {@code per_sample_weights}:
     * with {@code weights} (one finite weight per id) each bag is the weighted sum of its rows
     * ({@code mode} must then be {@link BagMode#SUM}, as in PyTorch); null for none.
     */
    public static Value embeddingBag(Value weight, int[] ids, int[] offsets, BagMode mode, float[] weights) {
        if (weights != null && mode != BagMode.SUM) {
            throw new IllegalArgumentException("embeddingBag: per-id weights need mode SUM, got " + mode);
        }
        Tensor w = weight.data();
        requireMatrix(w, "embeddingBag weight");
        if (offsets.length == 0) {
            throw new IllegalArgumentException("embeddingBag: offsets needs bags + 1 entries, got none");
        }
        int bags = offsets.length - 1;
        if (offsets[bags] != ids.length) {
            throw new IllegalArgumentException("embeddingBag: the last offset must equal ids.length "
                    + ids.length + ", got " + offsets[bags]);
        }
        checkBags(ids, offsets, bags, w.dim(0));
        if (weights != null && weights.length != ids.length) {
            throw new IllegalArgumentException("embeddingBag: " + weights.length + " weights for " + ids.length + " ids");
        }
        checkBagWeights(weights, ids.length);
        int dim = w.dim(1);
        Tensor out = Tensor.zeros(bags, dim);
        for (int b = 0; b < bags; b++) {
            BagOps.reduce(w.data(), w.offset(), dim, ids, weights, offsets[b], offsets[b + 1], mode, out.data(),
                    b * dim);
        }
        return Value.fromOp("embeddingBag", out, g -> BagOps.scatter(ids, offsets, weights, bags, mode, dim, g.data(),
                g.offset(), weight::accumulateGradRow), weight);
    }

    /** Checks that the first {@code count} per-id weights are finite (null: no weights, nothing to check). */
    public static void checkBagWeights(float[] weights, int count) {
        if (weights == null) {
            return;
        }
        for (int j = 0; j < count; j++) {
            if (!Float.isFinite(weights[j])) {
                throw new IllegalArgumentException("bags: the weight of id position " + j + " is " + weights[j]
                        + ", not finite");
            }
        }
    }

    /**
     * Checks bag offsets and ids: {@code offsets[0] == 0}, non-decreasing over {@code bags + 1}
     * entries, {@code offsets[bags] <= ids.length}, every id used in {@code [0, rows)}.
     */
    public static void checkBags(int[] ids, int[] offsets, int bags, int rows) {
        if (bags < 0 || offsets.length < bags + 1) {
            throw new IllegalArgumentException("bags: " + bags + " bags need " + (bags + 1)
                    + " offsets, got " + offsets.length);
        }
        if (offsets[0] != 0) {
            throw new IllegalArgumentException("bags: offsets[0] must be 0, got " + offsets[0]);
        }
        for (int b = 0; b < bags; b++) {
            if (offsets[b + 1] < offsets[b]) {
                throw new IllegalArgumentException("bags: offsets decrease at bag " + b + ": " + offsets[b]
                        + " then " + offsets[b + 1]);
            }
        }
        if (offsets[bags] > ids.length) {
            throw new IllegalArgumentException("bags: offsets[" + bags + "] = " + offsets[bags]
                    + " is past the " + ids.length + " ids");
        }
        checkIds(ids, offsets[bags], rows);
    }

    private static void checkIds(int[] ids, int count, int rows) {
        for (int i = 0; i < count; i++) {
            if (ids[i] < 0 || ids[i] >= rows) {
                throw new IllegalArgumentException("id " + ids[i] + " at position " + i
                        + " is out of range [0, " + rows + ")");
            }
        }
    }

    /**
     * A fused loss node: the loss kernel computes the loss and its gradient with respect to the
     * {@code rows x classes} logits in one pass; backward scales that gradient by the upstream one.
     */
    public static Value loss(Value logits, int[] targets, Loss loss) {
        Tensor z = logits.data();
        requireMatrix(z, "loss logits");
        int rows = z.dim(0), classes = z.dim(1);
        // The kernel wants exactly rows x classes floats from index 0.
        float[] zArray = z.offset() == 0 && z.data().length == z.size() ? z.data() : z.toArray();
        boolean needGrad = logits.requiresGrad() && NoGrad.isGradEnabled();
        float[] grad = needGrad ? new float[z.size()] : null;
        double value = loss.compute(zArray, rows, classes, targets, grad);
        return Value.fromOp("loss", Tensor.full((float) value),
                g -> logits.gradBuffer().axpy(g.item(), Tensor.of(grad, rows, classes)), logits);
    }

    private static void requireMatrix(Tensor t, String what) {
        if (t.rank() != 2) {
            throw new IllegalArgumentException(what + " must be a matrix, shape is " + Arrays.toString(t.shape()));
        }
    }
}
