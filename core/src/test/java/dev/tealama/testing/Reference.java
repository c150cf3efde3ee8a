package dev.tealama.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** llama.cpp's reference outputs: greedy.jsonl entries and raw float32 logits files. */
public final class Reference {
    private Reference() {
    }

    /** One line of greedy.jsonl. */
    public record Greedy(String model, String prompt, int[] promptIds, int[] genIds, String text) {
    }

    /** The greedy.jsonl entry for {@code modelFile}, read from {@code referenceDir}. */
    public static Greedy greedy(Path referenceDir, String modelFile) {
        try {
            List<String> lines = Files.readAllLines(referenceDir.resolve("greedy.jsonl"));
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> o = Json.object(line);
                if (modelFile.equals(o.get("model"))) {
                    return new Greedy(modelFile, (String) o.get("prompt"), Json.ints(o.get("prompt_ids")),
                            Json.ints(o.get("gen_ids")), (String) o.get("text"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no greedy reference for " + modelFile);
    }

    /** A raw little-endian float32 file. */
    public static float[] floats(Path file) {
        byte[] b = TestData.readAll(file);
        float[] out = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Largest absolute difference. */
    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    /** Index of the largest value (first on ties). */
    public static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }
}
