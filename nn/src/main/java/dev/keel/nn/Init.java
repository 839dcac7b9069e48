package dev.keel.nn;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;

import java.util.Arrays;

/**
 * Weight initializers (PyTorch's {@code torch.nn.init}), all drawing from a seeded
 * {@link KeelRandom} and writing into an existing tensor. For a matrix {@code [out x in]}
 * (PyTorch's {@code Linear} layout) {@code fanIn = in} and {@code fanOut = out}.
 */
public final class Init {

    private Init() {
    }

    /** Glorot and Bengio (2010): uniform in {@code +-sqrt(6 / (fanIn + fanOut))}. */
    public static Tensor xavierUniform(Tensor t, KeelRandom random) {
        double bound = Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
        return uniform(t, -bound, bound, random);
    }

    /** Glorot and Bengio (2010): normal with std {@code sqrt(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal(Tensor t, KeelRandom random) {
        return normal(t, 0, Math.sqrt(2.0 / (fanIn(t) + fanOut(t))), random);
    }

    /** He et al. (2015), for ReLU layers: uniform in {@code +-sqrt(6 / fanIn)}. */
    public static Tensor kaimingUniform(Tensor t, KeelRandom random) {
        double bound = Math.sqrt(6.0 / fanIn(t));
        return uniform(t, -bound, bound, random);
    }

    /** He et al. (2015), for ReLU layers: normal with std {@code sqrt(2 / fanIn)}. */
    public static Tensor kaimingNormal(Tensor t, KeelRandom random) {
        return normal(t, 0, Math.sqrt(2.0 / fanIn(t)), random);
    }

    /** Normal draws with the given mean and standard deviation. */
    public static Tensor normal(Tensor t, double mean, double std, KeelRandom random) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal init needs std >= 0, got " + std);
        }
        float[] d = t.data();
        for (int i = 0; i < t.size(); i++) {
            d[t.offset() + i] = (float) (mean + std * random.nextGaussian());
        }
        return t;
    }

    /** Uniform draws in {@code [low, high)}. */
    public static Tensor uniform(Tensor t, double low, double high, KeelRandom random) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("uniform init needs low <= high, got [" + low + ", " + high + ")");
        }
        float[] d = t.data();
        for (int i = 0; i < t.size(); i++) {
            d[t.offset() + i] = (float) (low + (high - low) * random.nextDouble());
        }
        return t;
    }

    /** Zeros. */
    public static Tensor zeros(Tensor t) {
        t.fill(0f);
        return t;
    }

    private static int fanIn(Tensor t) {
        requireMatrix(t);
        return Math.max(1, t.dim(1));
    }

    private static int fanOut(Tensor t) {
        requireMatrix(t);
        return Math.max(1, t.dim(0));
    }

    private static void requireMatrix(Tensor t) {
        if (t.rank() != 2) {
            throw new IllegalArgumentException("fan-based init needs a matrix [out x in], shape is "
                    + Arrays.toString(t.shape()));
        }
    }
}
