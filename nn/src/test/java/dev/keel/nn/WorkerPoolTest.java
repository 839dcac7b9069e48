package dev.keel.nn;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPoolTest {

    @Test
    void chunksClaimedByWhoeverComesAreEachDoneOnceAndSeenAfterwards() {
        for (int threads : new int[] {1, 2, 3}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                assertEquals(threads, pool.threads());
                int chunks = 64;
                int[] doneBy = new int[chunks]; // plain writes: visible to the caller once run returns
                int[] visits = new int[chunks];
                AtomicInteger next = new AtomicInteger();
                for (int round = 0; round < 2000; round++) {
                    next.set(0);
                    pool.run(w -> {
                        for (int c; (c = next.getAndIncrement()) < chunks; ) {
                            visits[c]++;
                            doneBy[c] = w;
                        }
                    });
                    for (int c = 0; c < chunks; c++) {
                        assertEquals(round + 1, visits[c], threads + " threads, round " + round + ", chunk " + c);
                        assertTrue(doneBy[c] >= 0 && doneBy[c] < threads);
                    }
                }
            }
        }
    }

    @Test
    void workersJoinAndWorkerZeroIsTheCaller() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2)) {
            Thread[] ranOn = new Thread[2];
            CountDownLatch workerJoined = new CountDownLatch(1);
            // worker 0 holds the phase open until worker 1 has joined it (or 10 s pass)
            pool.run(w -> {
                ranOn[w] = Thread.currentThread();
                if (w == 0) {
                    try {
                        workerJoined.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else {
                    workerJoined.countDown();
                }
            });
            assertEquals(0, workerJoined.getCount(), "worker 1 never joined");
            assertSame(Thread.currentThread(), ranOn[0]);
            assertTrue(ranOn[1] != Thread.currentThread() && ranOn[1].isDaemon(), String.valueOf(ranOn[1]));
        }
    }

    @Test
    void aWorkersExceptionReachesTheCallerAfterAllFinishedAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            CountDownLatch workerStarted = new CountDownLatch(1);
            boolean[] callerFinished = new boolean[1];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.run(w -> {
                if (w == 1) {
                    workerStarted.countDown();
                    throw new IllegalArgumentException("worker 1 failed");
                }
                try {
                    workerStarted.await(10, TimeUnit.SECONDS); // keep the phase open for the worker
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
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
            int[] ran = new int[1];
            pool.run(w -> {
                if (w == 0) {
                    ran[0]++;
                }
            });
            assertEquals(1, ran[0]);
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
