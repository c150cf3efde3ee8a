package dev.tealama.model;

import dev.tealama.tensor.QuantizedVector;

/**
 * How a host multiplies weight matrices by activations. {@code core} ships {@link ScalarKernels}, the deterministic
 * reference that the canister runs; the JVM host plugs in Vector API kernels spread over threads.
 *
 * <p>Implementations must give each output the value of the weight format's dot product (same quantized
 * activations, same integer block sums); only the order of float summation may differ from the scalar kernels.
 */
public interface Kernels {

    /**
     * For each token {@code t < count} and each row {@code r} in {@code [rowStart, rowEnd)}:
     * {@code out[t][r] = w[r] · x[t]}.
     *
     * @param x activations prepared in the type {@code w}'s dot product takes (or F32 in the precise scheme)
     */
    void matmul(Matrix w, QuantizedVector[] x, int count, float[][] out, int rowStart, int rowEnd);

    /** A short name for logs and benchmarks ("scalar", "vector x2"). */
    String name();
}
