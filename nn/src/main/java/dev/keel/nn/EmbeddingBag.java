package dev.keel.nn;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.nn.autograd.BagMode;
import dev.keel.nn.autograd.Functional;
import dev.keel.nn.autograd.Parameter;
import dev.keel.nn.autograd.Value;

/**
 * A bag of embeddings (PyTorch's {@code EmbeddingBag}): one vector per bag of ids, the sum or
 * mean of their rows, computed without materialising the per-id rows. Offsets follow
 * {@link Functional#embeddingBag}: {@code bags + 1} entries, bag {@code b} being
 * {@code ids[offsets[b] .. offsets[b + 1])}. The gradient is row-sparse. Rows start normal(0, 1).
 */
public final class EmbeddingBag extends Module {

    private final Parameter weight;
    private final BagMode mode;

    public EmbeddingBag(int rows, int dim, BagMode mode, KeelRandom random) {
        this(Init.normal(Tensor.zeros(checkedRows(rows, dim), dim), 0, 1, random), mode);
    }

    private EmbeddingBag(Tensor weight, BagMode mode) {
        this.mode = mode;
        this.weight = registerParameter("weight", Parameter.sparse(weight));
    }

    /** A bag over an existing {@code [rows x dim]} table (shared, not copied), as PyTorch's {@code from_pretrained}. */
    public static EmbeddingBag fromPretrained(Tensor weight, BagMode mode) {
        return new EmbeddingBag(weight, mode);
    }

    private static int checkedRows(int rows, int dim) {
        if (rows <= 0 || dim <= 0) {
            throw new IllegalArgumentException("EmbeddingBag needs positive sizes, got rows " + rows + ", dim " + dim);
        }
        return rows;
    }

    public Parameter weight() {
        return weight;
    }

    public BagMode mode() {
        return mode;
    }

    /** One row per bag: shape {@code [offsets.length - 1 x dim]}. */
    public Value forward(int[] ids, int[] offsets) {
        return Functional.embeddingBag(weight, ids, offsets, mode);
    }

    /**
     * With per-id weights (PyTorch's {@code per_sample_weights}, null for none): each bag the weighted
     * sum of its rows, whatever this layer's mode (the weights carry any normalisation).
     */
    public Value forward(int[] ids, int[] offsets, float[] weights) {
        return weights == null ? forward(ids, offsets)
                : Functional.embeddingBag(weight, ids, offsets, BagMode.SUM, weights);
    }
}
