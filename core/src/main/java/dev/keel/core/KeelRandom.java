package dev.keel.core;

import java.util.SplittableRandom;

/**
 * A seeded random source: the same seed gives the same sequence of draws on every JVM.
 *
 * <p>Built on {@link SplittableRandom}; {@link #split()} derives an independent stream (per
 * layer, per thread) without disturbing the parent's sequence more than one draw.
 */
public final class KeelRandom {

    private final SplittableRandom random;

    public KeelRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private KeelRandom(SplittableRandom random) {
        this.random = random;
    }

    /** An independent generator whose sequence is fixed by this one's state. */
    public KeelRandom split() {
        return new KeelRandom(random.split());
    }

    public long nextLong() {
        return random.nextLong();
    }

    /** Uniform in {@code [0, bound)}; bound must be positive. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return random.nextInt(bound);
    }

    /** Uniform in {@code [0, 1)}. */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** Uniform in {@code [0, 1)}, with 24 random bits. */
    public float nextFloat() {
        return (random.nextInt() >>> 8) * 0x1.0p-24f;
    }

    /** Standard normal, by the Box-Muller transform (deterministic, unlike a cached polar pair). */
    public double nextGaussian() {
        double u1 = 1.0 - random.nextDouble(); // (0, 1]: log is finite
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Shuffles {@code a} in place (Fisher-Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
