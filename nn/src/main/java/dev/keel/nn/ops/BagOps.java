package dev.keel.nn.ops;

import dev.keel.core.kernel.FloatKernels;
import dev.keel.core.kernel.Kernels;
import dev.keel.nn.autograd.BagMode;

import java.util.Arrays;

/**
 * The embedding bag on raw arrays: a bag's vector is the sum or mean of the table rows its ids name
 * ({@code table} row-major with {@code dim} columns from {@code tableOffset}), or, with per-id
 * weights (PyTorch's {@code per_sample_weights}), their weighted sum; its gradient reaches each of
 * those rows scaled by the same factor ({@link #scale}, or the id's weight).
 */
public final class BagOps {

    private BagOps() {
    }

    /** What each row of a bag of {@code length} ids is multiplied by: {@code 1/length} for the mean, else 1. */
    public static float scale(BagMode mode, int length) {
        return mode == BagMode.MEAN && length > 0 ? 1f / length : 1f;
    }

    /** One bag: {@code out[o .. o + dim) = reduce(table[ids[j]])} for {@code j} in {@code [from, to)}; zeros when empty. */
    public static void reduce(float[] table, int tableOffset, int dim, int[] ids, int from, int to, BagMode mode,
                              float[] out, int o) {
        FloatKernels k = Kernels.active();
        Arrays.fill(out, o, o + dim, 0f);
        for (int j = from; j < to; j++) {
            k.axpy(1f, table, tableOffset + ids[j] * dim, out, o, dim);
        }
        if (mode == BagMode.MEAN && to > from) {
            k.scale(scale(mode, to - from), out, o, out, o, dim);
        }
    }

    /**
     * One weighted bag: {@code out[o .. o + dim) = sum_j weights[j] table[ids[j]]} for {@code j} in
     * {@code [from, to)}; zeros when empty.
     */
    public static void reduceWeighted(float[] table, int tableOffset, int dim, int[] ids, float[] weights, int from,
                                      int to, float[] out, int o) {
        FloatKernels k = Kernels.active();
        Arrays.fill(out, o, o + dim, 0f);
        for (int j = from; j < to; j++) {
            k.axpy(weights[j], table, tableOffset + ids[j] * dim, out, o, dim);
        }
    }

    /** {@link #reduce}, or {@link #reduceWeighted} when {@code weights} is not null. */
    public static void reduce(float[] table, int tableOffset, int dim, int[] ids, float[] weights, int from, int to,
                              BagMode mode, float[] out, int o) {
        if (weights != null) {
            reduceWeighted(table, tableOffset, dim, ids, weights, from, to, out, o);
        } else {
            reduce(table, tableOffset, dim, ids, from, to, mode, out, o);
        }
    }

    /** Where a backward pass adds a scaled gradient row: a parameter's (row-sparse) gradient. */
    public interface RowSink {
        /** {@code grad[row] += alpha * src[srcOffset .. srcOffset + dim)}. */
        void add(int row, float alpha, float[] src, int srcOffset);
    }

    /**
     * The backward pass bag by bag: each bag's gradient ({@code bagGrad}, {@code bags x dim} from
     * {@code gradOffset}) to the gradient row of each of its ids, times {@link #scale} or the id's
     * weight ({@code weights} may be null). Bag {@code b} holds {@code ids[offsets[b] .. offsets[b + 1])}.
     */
    public static void scatter(int[] ids, int[] offsets, float[] weights, int bags, BagMode mode, int dim,
                               float[] bagGrad, int gradOffset, RowSink sink) {
        for (int b = 0; b < bags; b++) {
            int from = offsets[b], to = offsets[b + 1];
            float alpha = scale(mode, to - from);
            for (int j = from; j < to; j++) {
                sink.add(ids[j], weights != null ? weights[j] : alpha, bagGrad, gradOffset + b * dim);
            }
        }
    }

    /**
     * The same backward pass row by row: one table row's gradient {@code g[go .. go + dim)}, the sum
     * over its uses {@code u} in {@code [from, to)} (the bag {@code uses[u]} that names it at id
     * position {@code positions[u]}, once per mention, in batch order) of the use's factor times
     * {@code bagGrad[bag]}; the factor is {@code weights[position]}, or {@code bagScale[bag]} when
     * {@code weights} is null. Each row summed by one thread in a fixed order: the bits do not
     * depend on how rows are shared out.
     */
    public static void rowGradient(int[] uses, int[] positions, int from, int to, float[] weights, float[] bagScale,
                                   float[] bagGrad, int dim, float[] g, int go) {
        FloatKernels k = Kernels.active();
        Arrays.fill(g, go, go + dim, 0f);
        for (int u = from; u < to; u++) {
            int b = uses[u];
            k.axpy(weights != null ? weights[positions[u]] : bagScale[b], bagGrad, b * dim, g, go, dim);
        }
    }
}
