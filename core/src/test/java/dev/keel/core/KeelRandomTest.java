package dev.keel.core;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeelRandomTest {

    @Test
    void aSeedFixesEveryDrawIncludingSplits() {
        KeelRandom a = new KeelRandom(123);
        KeelRandom b = new KeelRandom(123);
        KeelRandom aChild = a.split();
        KeelRandom bChild = b.split();
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
            assertEquals(a.nextGaussian(), b.nextGaussian());
            assertEquals(aChild.nextFloat(), bChild.nextFloat());
            assertEquals(aChild.nextInt(17), bChild.nextInt(17));
        }
        assertNotEquals(new KeelRandom(1).nextLong(), new KeelRandom(2).nextLong());
        int[] p = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        int[] q = p.clone();
        new KeelRandom(5).shuffle(p);
        new KeelRandom(5).shuffle(q);
        assertArrayEquals(p, q);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted, "a shuffle is a permutation");
    }

    @Test
    void drawsHaveTheirDocumentedRanges() {
        KeelRandom r = new KeelRandom(9);
        int[] counts = new int[5];
        double gaussSum = 0, gaussSq = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            float f = r.nextFloat();
            assertTrue(f >= 0f && f < 1f, "nextFloat " + f);
            double d = r.nextDouble();
            assertTrue(d >= 0 && d < 1, "nextDouble " + d);
            counts[r.nextInt(5)]++;
            double g = r.nextGaussian();
            assertTrue(Double.isFinite(g));
            gaussSum += g;
            gaussSq += g * g;
        }
        for (int c : counts) {
            assertEquals(n / 5.0, c, 5 * Math.sqrt(n * 0.2 * 0.8), Arrays.toString(counts)); // 5 sigma
        }
        assertEquals(0, gaussSum / n, 5 / Math.sqrt(n));
        assertEquals(1, gaussSq / n, 5 * Math.sqrt(2.0 / n));
    }
}
