package dev.tealama.model;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.QuantizedVector;
import dev.tealama.tensor.WeightFormat;

/**
 * The reference kernels: one row at a time, summing in the weight format's fixed order, so that the JVM and the
 * canister (TeaVM) compute bit-identical results. Each weight row is read once per call and multiplied by every
 * token of the batch, so a prompt batch reads the weights once.
 */
public final class ScalarKernels implements Kernels {
    private byte[] rowBytes = new byte[0];
    private float[] rowValues = new float[0];

    @Override
    public void matmul(Matrix w, QuantizedVector[] x, int count, float[][] out, int rowStart, int rowEnd) {
        WeightFormat format = w.format();
        int cols = w.cols();
        int n = w.rowBytes();
        if (rowBytes.length < n) {
            rowBytes = new byte[n];
        }
        boolean precise = count > 0 && x[0].type() == ActivationType.F32 && format.activationType() != ActivationType.F32;
        if (precise && rowValues.length < cols) {
            rowValues = new float[cols];
        }
        for (int r = rowStart; r < rowEnd; r++) {
            w.source().read(w.rowOffset(r), rowBytes, 0, n);
            if (precise) {
                // Precise scheme: dequantized weights times unrounded activations, summed in double.
                format.dequantize(rowBytes, 0, rowValues, 0, cols);
                for (int t = 0; t < count; t++) {
                    out[t][r] = dotDouble(rowValues, x[t].values(), cols);
                }
            } else {
                for (int t = 0; t < count; t++) {
                    out[t][r] = format.dot(rowBytes, 0, x[t], 0, cols);
                }
            }
        }
    }

    private static float dotDouble(float[] a, float[] b, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) a[i] * b[i];
        }
        return (float) sum;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
