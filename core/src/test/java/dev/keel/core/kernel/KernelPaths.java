package dev.keel.core.kernel;

import java.util.ArrayList;
import java.util.List;

/** The kernel implementations this JVM can run: always scalar, and vector when the module is there. */
final class KernelPaths {

    private KernelPaths() {
    }

    static List<FloatKernels> available() {
        List<FloatKernels> paths = new ArrayList<>();
        paths.add(Kernels.scalar());
        Kernels.vector().ifPresent(paths::add);
        return paths;
    }

    /** Unit roundoff of float: half an ulp of 1. */
    static final double U = 0x1.0p-24;

    /**
     * Forward error bound of a float sum of {@code terms} terms whose magnitudes add up to
     * {@code absSum}, in any order, with or without fused multiply-adds: {@code gamma_terms * absSum}
     * with {@code gamma_t = t u / (1 - t u)} (Higham, Accuracy and Stability, 3.1), plus a few ulps of
     * slack for the final rounding and underflow.
     */
    static double sumErrorBound(int terms, double absSum) {
        double tu = Math.max(terms, 1) * U;
        return tu / (1 - tu) * absSum + 4 * Float.MIN_NORMAL;
    }
}
