package dev.tealama.cli.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads that run one job at a time together with the calling thread.
 *
 * <p>A 1B model's matmuls take 0.1–1 ms each, a hundred of them per token, so handing work over must cost
 * microseconds, not the tens of microseconds of an executor's submit and future. A job is published by bumping a
 * volatile generation counter; idle workers spin on it (with {@link Thread#onSpinWait()}) for a while after their
 * last job and only then park, so back-to-back matmuls find them awake. Parked workers are unparked by the next job.
 */
final class WorkerPool implements AutoCloseable {

    /** Work shared by all participants: each calls {@link #run} once per job with its own index. */
    interface Job {
        /** Runs this participant's share; participant 0 is the calling thread. */
        void run(int participant);
    }

    /** How long an idle worker spins before parking: longer than the gaps between one token's matmuls. */
    private static final long SPIN_NANOS = 200_000;

    private final Thread[] workers;
    private final boolean[] parked;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Job job;
    private volatile int generation;
    private volatile boolean closed;
    private volatile Throwable failure;

    /** A pool of {@code participants - 1} workers (the caller is the other participant). */
    WorkerPool(int participants) {
        if (participants < 1) {
            throw new IllegalArgumentException("a pool needs at least one participant");
        }
        this.workers = new Thread[participants - 1];
        this.parked = new boolean[participants - 1];
        for (int i = 0; i < workers.length; i++) {
            int participant = i + 1;
            Thread t = new Thread(() -> work(participant), "tealama-matmul-" + participant);
            t.setDaemon(true);
            workers[i] = t;
        }
        for (Thread t : workers) {
            t.start();
        }
    }

    /** Threads taking part in each job, the caller included. */
    int participants() {
        return workers.length + 1;
    }

    /**
     * Runs {@code job} on every participant and returns when all are done. An exception thrown by any participant
     * is rethrown here (the first one seen).
     */
    void run(Job job) {
        if (workers.length == 0) {
            job.run(0);
            return;
        }
        if (closed) {
            throw new IllegalStateException("the matmul pool is closed");
        }
        failure = null;
        this.job = job;
        pending.set(workers.length);
        generation++; // volatile write: publishes the job and everything the caller wrote before
        for (int i = 0; i < workers.length; i++) {
            if (isParked(i)) {
                LockSupport.unpark(workers[i]);
            }
        }
        Throwable own = null;
        try {
            job.run(0);
        } catch (Throwable e) {
            own = e;
        }
        awaitWorkers();
        Throwable first = own != null ? own : failure;
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
    }

    private void awaitWorkers() {
        int spins = 0;
        while (pending.get() != 0) {
            if (++spins < 1 << 16) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // more threads than cores: let the workers run
            }
        }
    }

    private void work(int participant) {
        int seen = 0;
        while (true) {
            seen = awaitJob(participant - 1, seen);
            if (closed) {
                return;
            }
            try {
                job.run(participant);
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            }
            pending.decrementAndGet();
        }
    }

    /** Spins, then parks, until the generation moves past {@code seen} or the pool closes; returns the new one. */
    private int awaitJob(int worker, int seen) {
        long start = System.nanoTime();
        int spins = 0;
        while (true) {
            int current = generation;
            if (current != seen || closed) {
                return current;
            }
            if ((++spins & 255) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            setParked(worker, true);
            // re-check after announcing: a job published before the announcement was seen is not missed
            if (generation == seen && !closed) {
                LockSupport.park(this);
            }
            setParked(worker, false);
            start = System.nanoTime();
        }
    }

    private boolean isParked(int worker) {
        synchronized (parked) {
            return parked[worker];
        }
    }

    private void setParked(int worker, boolean value) {
        synchronized (parked) {
            parked[worker] = value;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
    }
}
