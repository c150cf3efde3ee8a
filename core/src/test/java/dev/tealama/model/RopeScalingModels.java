package dev.tealama.model;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.gguf.GgufFile;
import dev.tealama.gguf.GgufWriter;
import dev.tealama.gguf.TensorInfo;
import dev.tealama.tensor.GgmlType;
import dev.tealama.testing.TestData;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Two variants of the committed tiny-llama3-Q8_0.gguf that exercise RoPE frequency scaling, written
 * deterministically by our GGUF writer (their sha256 is checked against the files llama.cpp's references in
 * testdata/reference/rope were made from; see the README there):
 * <ul>
 *   <li>{@code rope-freqs}: a {@code rope_freqs.weight} tensor (Llama 3.1/3.2 style per-frequency divisors) of
 *       1, 2, ..., 8 — large enough that every angle but the first pair's changes;</li>
 *   <li>{@code rope-linear}: {@code llama.rope.scaling.type = linear}, {@code llama.rope.scaling.factor = 4}.</li>
 * </ul>
 */
final class RopeScalingModels {
    private RopeScalingModels() {
    }

    static byte[] ropeFreqs() {
        float[] factors = {1, 2, 3, 4, 5, 6, 7, 8};
        ByteBuffer b = ByteBuffer.allocate(factors.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : factors) {
            b.putFloat(f);
        }
        return write(base -> base.addTensor("rope_freqs.weight", GgmlType.F32, new long[] {factors.length}, b.array()));
    }

    static byte[] ropeLinear() {
        return write(base -> base.putString("llama.rope.scaling.type", "linear").putFloat32("llama.rope.scaling.factor", 4f));
    }

    private interface Change {
        void apply(GgufWriter writer);
    }

    /** tiny-llama3-Q8_0.gguf's metadata and tensors, in order, then {@code change}. */
    private static byte[] write(Change change) {
        byte[] original = TestData.readModel("tiny-llama3-Q8_0.gguf");
        GgufFile file = GgufFile.read(new ArrayByteSource(original));
        GgufWriter writer = new GgufWriter().alignment(file.alignment()).putAll(file.metadata());
        for (TensorInfo t : file.tensors()) {
            byte[] data = new byte[(int) t.byteSize()];
            System.arraycopy(original, (int) t.offset(), data, 0, data.length);
            writer.addTensor(t.name(), t.type(), t.dims(), data);
        }
        change.apply(writer);
        return writer.toByteArray();
    }

    /** Writes both files into {@code dir} (to make the llama.cpp references: see testdata/reference/rope/README.md). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.write(dir.resolve("tiny-llama3-Q8_0-rope-freqs.gguf"), ropeFreqs());
        Files.write(dir.resolve("tiny-llama3-Q8_0-rope-linear.gguf"), ropeLinear());
    }
}
