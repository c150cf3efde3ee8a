package dev.tealama.tensor;

/** The float values a {@link QuantizedVector} stands for (test helper, double-checking the formats' sums). */
final class Dequantized {
    private Dequantized() {
    }

    static float[] of(QuantizedVector v) {
        int n = v.length();
        float[] out = new float[n];
        switch (v.type()) {
            case F32:
            case F16:
            case BF16:
                System.arraycopy(v.values(), 0, out, 0, n);
                break;
            default:
                int block = v.type().blockSize();
                for (int i = 0; i < n; i++) {
                    out[i] = v.quants()[i] * v.scales()[i / block];
                }
        }
        return out;
    }
}
