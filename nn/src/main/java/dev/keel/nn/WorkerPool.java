package dev.keel.nn;

import dev.keel.core.IdBags;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 *     for (...) model.trainStep(new IdBags(ids, offsets, n, 0), targets, loss, optimizer, pool);
 * }
 * </pre>
 *
 * <p>Results never depend on the number of threads, nor on which thread did what: work is split
 * into chunks that threads claim as they come, and every number is computed by one thread in a
 * fixed order, whichever thread that is (see the classifier). The caller never waits for a worker
 * that has not started: a worker joins a piece of work only while the caller is still at it, so on
 * a machine whose cores are busy with other work the caller simply does more of the chunks itself.
 * Between pieces of work the workers spin for a few tens of microseconds, then park. One step at a
 * time: a pool serves one training loop (concurrent use is refused). {@link #close()} stops the
 * threads; they are daemons, so a pool that is never closed does not keep the JVM alive.
 */
public final class WorkerPool implements AutoCloseable {

    /**
     * A piece of parallel work, called on the caller (worker 0) and on each worker that joins in
     * time, with the worker's index in {@code [0, threads)}. It must share its work dynamically
     * (claiming chunks from a shared counter), so that any subset of the workers completes it.
     */
    @FunctionalInterface
    interface Task {
        void run(int worker);
    }

    /** How long an idle thread spins before parking: short next to a step, long next to a wake-up. */
    private static final long SPIN_NANOS = 50_000;
    /** In {@link #state}: the phase is closed to joiners. Below it, the number of workers that joined. */
    private static final long CLOSED = 1L << 31;
    private static final long JOINED = CLOSED - 1;

    /** The pool of one thread (work runs in the caller), for the one-thread trainStep; never closed. */
    static final WorkerPool CALLER_ONLY = new WorkerPool(1);

    private final Thread[] workers; // workers[0] is unused: worker 0 is the caller
    /** {@code generation << 32 | CLOSED? | joined}: one atomic word, so a join can never hit a stale phase. */
    private final AtomicLong state = new AtomicLong();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean closed;
    private volatile Thread caller;
    private Task task; // published by the volatile write of state

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
     * Runs {@code task} on the caller as worker 0 and on the workers that join while it runs there;
     * returns when all of those are done. The first exception or error thrown by any of them is
     * rethrown here, after all have finished.
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
            finished.set(0);
            long generation = (state.get() >>> 32) + 1;
            state.set(generation << 32); // volatile write: publishes the task, opens the phase
            for (int w = 1; w < workers.length; w++) {
                LockSupport.unpark(workers[w]);
            }
            try {
                task.run(0);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
            int joined = (int) (closePhase() & JOINED);
            awaitFinished(joined);
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

    /** Closes the phase to joiners; returns the state before (with the number that joined). */
    private long closePhase() {
        while (true) {
            long s = state.get();
            if (state.compareAndSet(s, s | CLOSED)) {
                return s;
            }
        }
    }

    private void awaitFinished(int joined) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (finished.get() != joined) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    private void workLoop(int index) {
        long seen = 0; // the last generation this worker looked at
        while (true) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            long s;
            while ((s = state.get()) >>> 32 == seen && !closed) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = s >>> 32;
            if (join(seen)) {
                try {
                    task.run(index);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                finished.incrementAndGet();
                LockSupport.unpark(caller);
            }
        }
    }

    /** Joins phase {@code generation} unless it is already closed (or over). */
    private boolean join(long generation) {
        while (true) {
            long s = state.get();
            if (s >>> 32 != generation || (s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
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
