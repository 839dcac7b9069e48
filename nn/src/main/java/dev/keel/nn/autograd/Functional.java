package dev.keel.nn.autograd;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.core.kernel.FloatKernels;
import dev.keel.core.kernel.Kernels;
import dev.keel.nn.loss.Loss;

import java.util.Arrays;

/**
 * Operations that take more than tensors (ids, a random source, a loss kernel), in the manner
 * of PyTorch's {@code torch.nn.functional}: {@link #linear}, {@link #dropout}, {@link #embedding},
 * {@link #embeddingBag} and the fused {@link #loss} node. The tensor-only operations are methods
 * of {@link Value}.
 */
public final class Functional {

    private Functional() {
    }

    /**
     * {@code x [m x k] . weight[n x k]^T + bias [n]}: a dense layer with PyTorch's weight layout
     * (one row per output). {@code bias} may be null.
     */
    public static Value linear(Value x, Value weight, Value bias) {
        Tensor xd = x.data();
        Tensor w = weight.data();
        Tensor out = Tensor.matmulTransB(xd, w);
        int n = w.dim(0);
        if (bias != null) {
            if (bias.data().rank() != 1 || bias.data().size() != n) {
                throw new IllegalArgumentException("linear: bias of shape " + Arrays.toString(bias.shape())
                        + " does not fit weight of shape " + Arrays.toString(w.shape()));
            }
            for (int r = 0; r < out.rows(); r++) {
                Value.lastAxisRow(out, r).addInPlace(bias.data());
            }
        }
        Value.Backward rule = g -> {
            if (x.requiresGrad()) { // dx = g . W
                Tensor.matmulInto(g, w, x.gradBuffer(), true);
            }
            if (weight.requiresGrad()) { // dW = g^T . x
                Tensor.matmulTransAInto(g, xd, weight.gradBuffer(), true);
            }
            if (bias != null && bias.requiresGrad()) { // db = column sums of g
                Tensor gb = bias.gradBuffer();
                for (int r = 0; r < g.rows(); r++) {
                    gb.addInPlace(Value.lastAxisRow(g, r));
                }
            }
        };
        return bias == null ? Value.fromOp("linear", out, rule, x, weight)
                : Value.fromOp("linear", out, rule, x, weight, bias);
    }

    /**
     * Inverted dropout: in training, each element is zeroed with probability {@code p} and the
     * others scaled by {@code 1 / (1 - p)}, so the expectation is unchanged; outside training, or
     * with {@code p == 0}, the input itself. The mask comes from {@code random} (seeded: the same
     * seed gives the same mask, see {@link #dropoutMask}).
     */
    public static Value dropout(Value x, float p, KeelRandom random, boolean training) {
        checkDropoutProbability(p);
        if (!training || p == 0f) {
            return x;
        }
        Tensor mask = Tensor.zeros(x.shape());
        dropoutMask(random, p, mask.data(), 0, mask.size());
        Tensor out = x.data().mul(mask);
        return Value.fromOp("dropout", out, g -> x.accumulateGrad(g.mul(mask)), x);
    }

    /**
     * Fills {@code mask[offset, offset + n)} with {@code 0} (probability {@code p}) or
     * {@code 1 / (1 - p)}, one draw per element in index order.
     */
    public static void dropoutMask(KeelRandom random, float p, float[] mask, int offset, int n) {
        checkDropoutProbability(p);
        float keep = 1f / (1f - p);
        for (int i = 0; i < n; i++) {
            mask[offset + i] = random.nextFloat() < p ? 0f : keep;
        }
    }

    /** Throws unless {@code 0 <= p < 1}. */
    public static void checkDropoutProbability(float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
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
        int dim = w.dim(1);
        Tensor out = Tensor.zeros(bags, dim);
        bagForward(w.data(), w.offset(), dim, ids, offsets, bags, mode, out.data(), 0);
        return Value.fromOp("embeddingBag", out,
                g -> bagBackward(weight, ids, offsets, bags, mode, g.data(), g.offset()), weight);
    }

    /**
     * The embedding-bag forward kernel: {@code out[b] = reduce(table[ids[j]])} over each bag, on
     * raw arrays ({@code table} row-major with {@code dim} columns from {@code tableOffset}).
     * Arguments must already be checked ({@link #checkBags}).
     */
    public static void bagForward(float[] table, int tableOffset, int dim, int[] ids, int[] offsets, int bags,
                                  BagMode mode, float[] out, int outOffset) {
        for (int b = 0; b < bags; b++) {
            bagReduce(table, tableOffset, dim, ids, offsets[b], offsets[b + 1], mode, out, outOffset + b * dim);
        }
    }

    /** One bag: {@code out[o .. o + dim) = reduce(table[ids[j]])} for {@code j} in {@code [from, to)}. */
    public static void bagReduce(float[] table, int tableOffset, int dim, int[] ids, int from, int to, BagMode mode,
                                 float[] out, int o) {
        FloatKernels k = Kernels.active();
        Arrays.fill(out, o, o + dim, 0f);
        for (int j = from; j < to; j++) {
            k.axpy(1f, table, tableOffset + ids[j] * dim, out, o, dim);
        }
        if (mode == BagMode.MEAN && to > from) {
            k.scale(1f / (to - from), out, o, out, o, dim);
        }
    }

    /**
     * The embedding-bag backward kernel: adds each bag's gradient ({@code bagGrad}, {@code bags x
     * dim} from {@code gradOffset}) to the gradient rows of its ids, divided by the bag size for
     * {@link BagMode#MEAN}.
     */
    public static void bagBackward(Value table, int[] ids, int[] offsets, int bags, BagMode mode,
                                   float[] bagGrad, int gradOffset) {
        int dim = table.data().cols();
        for (int b = 0; b < bags; b++) {
            int from = offsets[b], to = offsets[b + 1];
            float alpha = mode == BagMode.MEAN && to > from ? 1f / (to - from) : 1f;
            for (int j = from; j < to; j++) {
                table.accumulateGradRow(ids[j], alpha, bagGrad, gradOffset + b * dim);
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
