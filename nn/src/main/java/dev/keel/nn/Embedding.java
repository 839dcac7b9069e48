package dev.keel.nn;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.nn.autograd.Functional;
import dev.keel.nn.autograd.Parameter;
import dev.keel.nn.autograd.Value;

/**
 * A lookup table {@code [rows x dim]}: {@code forward(ids)} gives one row per id. Its gradient is
 * row-sparse (only the rows looked up are touched and updated). Rows start normal(0, 1), as in
 * PyTorch.
 */
public final class Embedding extends Module {

    private final Parameter weight;

    public Embedding(int rows, int dim, KeelRandom random) {
        if (rows <= 0 || dim <= 0) {
            throw new IllegalArgumentException("Embedding needs positive sizes, got rows " + rows + ", dim " + dim);
        }
        weight = registerParameter("weight", Parameter.sparse(Init.normal(Tensor.zeros(rows, dim), 0, 1, random)));
    }

    public Parameter weight() {
        return weight;
    }

    /** Rows {@code ids}: shape {@code [ids.length x dim]}. */
    public Value forward(int[] ids) {
        return Functional.embedding(weight, ids);
    }
}
