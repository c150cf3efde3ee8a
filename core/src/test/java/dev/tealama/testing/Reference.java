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

    /**
     * One line of teacher-forced.jsonl: what one llama.cpp build ranks highest at each step when fed the reference
     * sequence; {@code argmax[i]} is its choice after the prompt plus {@code i} forced tokens.
     */
    public record TeacherForced(String model, String build, int[] promptIds, int[] forcedIds, int[] argmax) {
    }

    /** Every build's teacher-forced run of {@code modelFile} (testdata/reference/teacher-forced.jsonl). */
    public static List<TeacherForced> teacherForced(String modelFile) {
        try {
            List<TeacherForced> out = new java.util.ArrayList<>();
            for (String line : Files.readAllLines(TestData.reference("teacher-forced.jsonl"))) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> o = Json.object(line);
                if (!modelFile.equals(o.get("model"))) {
                    continue;
                }
                List<?> steps = (List<?>) o.get("top5");
                int[] argmax = new int[steps.size()];
                for (int i = 0; i < argmax.length; i++) {
                    List<?> best = (List<?>) ((List<?>) steps.get(i)).get(0);
                    argmax[i] = ((Number) best.get(0)).intValue();
                }
                out.add(new TeacherForced(modelFile, (String) o.get("build"), Json.ints(o.get("prompt_ids")),
                        Json.ints(o.get("forced_ids")), argmax));
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("no teacher-forced reference for " + modelFile);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
