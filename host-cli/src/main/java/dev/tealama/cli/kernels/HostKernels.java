package dev.tealama.cli.kernels;

import dev.tealama.model.Kernels;
import dev.tealama.model.Matrix;
import dev.tealama.model.ScalarKernels;
import dev.tealama.tensor.QuantizedVector;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * The JVM host's kernels: each matmul's rows are split over a persistent pool of threads.
 *
 * <p>(First version: every thread runs core's scalar dot products. The Vector API kernels replace them per type.)
 */
public final class HostKernels implements Kernels, AutoCloseable {
    private final int threads;
    private final ExecutorService pool;
    private final ScalarKernels[] perThread;

    public HostKernels(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.threads = threads;
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "tealama-matmul");
            t.setDaemon(true);
            return t;
        };
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, daemons) : null;
        this.perThread = new ScalarKernels[threads];
        for (int i = 0; i < threads; i++) {
            perThread[i] = new ScalarKernels();
        }
    }

    @Override
    public void matmul(Matrix w, QuantizedVector[] x, int count, float[][] out, int rowStart, int rowEnd) {
        int rows = rowEnd - rowStart;
        if (pool == null || rows < 64) {
            perThread[0].matmul(w, x, count, out, rowStart, rowEnd);
            return;
        }
        int chunk = (rows + threads - 1) / threads;
        @SuppressWarnings("unchecked")
        Future<?>[] pending = new Future<?>[threads - 1];
        for (int i = 1; i < threads; i++) {
            int from = Math.min(rowEnd, rowStart + i * chunk);
            int to = Math.min(rowEnd, from + chunk);
            ScalarKernels k = perThread[i];
            pending[i - 1] = pool.submit(() -> k.matmul(w, x, count, out, from, to));
        }
        perThread[0].matmul(w, x, count, out, rowStart, Math.min(rowEnd, rowStart + chunk));
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a matmul", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "host x" + threads;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
