package dev.keel.nn;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A small fixed team of threads for data-parallel training steps
 * ({@link BagOfEmbeddingsClassifier#trainStep(int[], int[], int, int[], dev.keel.nn.loss.Loss,
 * dev.keel.nn.optim.Optimizer, WorkerPool)}). The calling thread is worker 0 and
 * {@code threads - 1} daemon threads are started once, then reused for every step: a step creates
 * no thread and allocates nothing.
 *
 * <pre>
 * try (WorkerPool pool = new WorkerPool(2)) {
 *     for (...) model.trainStep(ids, offsets, n, targets, loss, optimizer, pool);
 * }
 * </pre>
 *
 * <p>Results never depend on the number of threads: work is split so that every number is
 * computed by one thread in a fixed order, whichever thread that is (see the classifier).
 * Between steps the workers spin for a few microseconds, then park; on a machine shared with
 * other work, do not ask for more threads than there are free cores. One step at a time: a pool
 * is used by one training loop (concurrent use is refused). {@link #close()} stops the threads;
 * they are daemons, so a pool that is never closed does not keep the JVM alive.
 */
public final class WorkerPool implements AutoCloseable {

    /** A piece of parallel work: called once on every worker with its index in {@code [0, threads)}. */
    @FunctionalInterface
    interface Task {
        void run(int worker);
    }

    /** How long an idle thread spins before parking: short next to a step, long next to a wake-up. */
    private static final long SPIN_NANOS = 50_000;

    /** The pool of one thread (work runs in the caller), for the one-thread trainStep; never closed. */
    static final WorkerPool CALLER_ONLY = new WorkerPool(1);

    private final Thread[] workers; // workers[0] is unused: worker 0 is the caller
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile long generation; // incremented to hand out a task
    private volatile boolean closed;
    private volatile Thread caller;
    private Task task;                // published by the volatile write of generation

    /** A pool of {@code threads} workers (the caller and {@code threads - 1} started threads). */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a worker pool needs at least 1 thread, got " + threads);
        }
        workers = new Thread[threads];
        for (int w = 1; w < threads; w++) {
            int index = w;
            Thread t = new Thread(() -> workLoop(index), "keel-worker-" + w);
            t.setDaemon(true);
            workers[w] = t;
            t.start();
        }
    }

    /** Number of workers, the caller included. */
    public int threads() {
        return workers.length;
    }

    /**
     * Runs {@code task} on every worker (the caller as worker 0) and returns when all are done. The
     * first exception or error thrown by any worker is rethrown here, after all have finished.
     */
    void run(Task task) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (workers.length == 1) { // nothing shared: any number of threads may use a one-thread pool
            task.run(0);
            return;
        }
        if (!busy.compareAndSet(0, 1)) {
            throw new IllegalStateException("worker pool is already running a step (one training loop per pool)");
        }
        try {
            this.task = task;
            caller = Thread.currentThread();
            pending.set(workers.length - 1);
            generation++; // volatile write: publishes task
            for (int w = 1; w < workers.length; w++) {
                LockSupport.unpark(workers[w]);
            }
            try {
                task.run(0);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
            awaitWorkers();
            this.task = null;
            Throwable t = failure.getAndSet(null);
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            } else if (t instanceof Error) {
                throw (Error) t;
            } else if (t != null) {
                throw new IllegalStateException("a training worker failed", t);
            }
        } finally {
            busy.set(0);
        }
    }

    private void awaitWorkers() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (pending.get() != 0) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    private void workLoop(int index) {
        long seen = 0;
        while (true) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (generation == seen && !closed) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                task.run(index);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /** Stops the worker threads (idempotent). A closed pool refuses work. */
    @Override
    public void close() {
        closed = true;
        for (int w = 1; w < workers.length; w++) {
            LockSupport.unpark(workers[w]);
        }
    }

    @Override
    public String toString() {
        return "WorkerPool(" + workers.length + " threads" + (closed ? ", closed)" : ")");
    }
}
