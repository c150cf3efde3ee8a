package dev.tealama.cli.quantize;

import dev.tealama.bytes.ByteSource;
import dev.tealama.gguf.TensorData;
import dev.tealama.gguf.TensorInfo;
import dev.tealama.tensor.Float16;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.WeightFormat;
import dev.tealama.tensor.WeightQuantizer;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A float tensor (F32, F16 or BF16) re-encoded as Q8_0, Q4_0 or F16 while it is written: rows are read, widened
 * to float and encoded a slab at a time, so memory stays bounded whatever the tensor's size. The encoders are
 * llama.cpp's reference ones ({@link WeightQuantizer}; F16 rounds to nearest even like {@code ggml_fp32_to_fp16}).
 */
final class ConvertedTensor implements TensorData {
    /** Bytes of input, floats and output one slab may hold (at least one row). */
    private static final long SLAB_BYTES = 8L << 20;

    private final ByteSource source;
    private final TensorInfo tensor;
    private final GgmlType target;
    private final long rows;
    private final int rowLength;

    ConvertedTensor(ByteSource source, TensorInfo tensor, GgmlType target) {
        if (tensor.dim(0) > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException("tensor " + tensor.name() + " has rows too long to convert");
        }
        this.source = source;
        this.tensor = tensor;
        this.target = target;
        this.rowLength = (int) tensor.dim(0);
        this.rows = tensor.elementCount() / rowLength;
    }

    @Override
    public long size() {
        return rows * target.bytesFor(rowLength);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        WeightFormat from = WeightFormat.of(tensor.type());
        int inRow = (int) tensor.type().bytesFor(rowLength);
        int outRow = (int) target.bytesFor(rowLength);
        long perRow = inRow + 4L * rowLength + outRow;
        int slabRows = (int) Math.max(1, Math.min(rows, SLAB_BYTES / perRow));
        byte[] in = new byte[slabRows * inRow];
        float[] values = new float[slabRows * rowLength];
        byte[] encoded = new byte[slabRows * outRow];
        for (long row = 0; row < rows; row += slabRows) {
            int n = (int) Math.min(slabRows, rows - row);
            source.read(tensor.offset() + row * inRow, in, 0, n * inRow);
            from.dequantize(in, 0, values, 0, n * rowLength);
            encode(values, n * rowLength, encoded);
            out.write(encoded, 0, n * outRow);
        }
    }

    private void encode(float[] values, int count, byte[] dst) {
        if (target == GgmlType.F16) {
            for (int i = 0; i < count; i++) {
                short h = Float16.fromFloat(values[i]);
                dst[2 * i] = (byte) h;
                dst[2 * i + 1] = (byte) (h >> 8);
            }
        } else {
            WeightQuantizer.of(target).quantize(values, 0, dst, 0, count);
        }
    }
}
