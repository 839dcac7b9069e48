package dev.keel.nn;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPoolTest {

    @Test
    void everyWorkerRunsEachTaskOnceAndItsWritesAreSeenAfterwards() {
        for (int threads : new int[] {1, 2, 3}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                assertEquals(threads, pool.threads());
                long[] counts = new long[threads];
                Thread[] ranOn = new Thread[threads];
                for (int round = 0; round < 2000; round++) {
                    pool.run(w -> {
                        counts[w]++; // plain writes: visible to the caller once run returns
                        ranOn[w] = Thread.currentThread();
                    });
                }
                for (int w = 0; w < threads; w++) {
                    assertEquals(2000, counts[w], threads + " threads, worker " + w);
                }
                assertSame(Thread.currentThread(), ranOn[0], "worker 0 is the caller");
                for (int w = 1; w < threads; w++) {
                    assertTrue(ranOn[w] != Thread.currentThread() && ranOn[w].isDaemon(), ranOn[w].toString());
                }
            }
        }
    }

    @Test
    void aWorkersExceptionReachesTheCallerAfterAllFinishedAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            boolean[] callerFinished = new boolean[1];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.run(w -> {
                if (w == 1) {
                    throw new IllegalArgumentException("worker 1 failed");
                }
                callerFinished[0] = true;
            }));
            assertEquals("worker 1 failed", e.getMessage());
            assertTrue(callerFinished[0]);
            Error error = assertThrows(AssertionError.class, () -> pool.run(w -> {
                if (w == 0) {
                    throw new AssertionError("caller failed");
                }
            }));
            assertEquals("caller failed", error.getMessage());
            int[] ran = new int[2];
            pool.run(w -> ran[w]++);
            assertEquals(1, ran[0] + ran[1] - 1);
        }
    }

    @Test
    void closedPoolsAndConcurrentUseAreRefused() throws Exception {
        WorkerPool pool = new WorkerPool(2);
        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread first = new Thread(() -> pool.run(w -> {
            if (w == 0) {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        first.start();
        inside.await();
        try {
            pool.run(w -> { });
        } catch (IllegalStateException e) {
            other.set(e);
        }
        release.countDown();
        first.join();
        assertTrue(other.get() != null && other.get().getMessage().contains("already running"), String.valueOf(other));
        pool.close();
        pool.close(); // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(w -> { }));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
    }
}
