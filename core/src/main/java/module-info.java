/**
 * keel core: float tensors on plain arrays and the kernels behind them.
 *
 * <p>The Vector API is optional: {@code requires static} lets this module run without
 * {@code jdk.incubator.vector}; {@link dev.keel.core.kernel.Kernels} then picks the scalar path.
 */
module dev.keel.core {
    requires static jdk.incubator.vector;

    exports dev.keel.core;
    exports dev.keel.core.kernel;
}
