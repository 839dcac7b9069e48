package dev.keel.nn.loss;

/**
 * One step of the vector loss kernels' pipeline: a loop over the arrays of a {@link LossBlock}.
 * Phases are called through one megamorphic call site, so C2 compiles each on its own (see
 * {@code VectorLossKernels}). The kinds' vector forms are phases too ({@link LossKind#vectorRow}).
 */
interface VectorPhase {
    void run(LossBlock block);
}
