package dev.tealama.tokenizer;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.gguf.GgufFile;
import dev.tealama.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The committed tokenizers and llama.cpp's reference files for them, loaded once per test run. */
final class TokenizerFixtures {
    /** Llama 3 vocabulary (128,256 tokens, BPE). */
    static final String LLAMA3 = "tiny-llama3-Q8_0.gguf";
    /** Llama 2 vocabulary (32,000 tokens, SentencePiece), llama.cpp's tokenizer test vocabulary. */
    static final String LLAMA2 = "ggml-vocab-llama-spm.gguf";
    /** llama2.c's TinyStories vocabulary (512 tokens, SentencePiece). */
    static final String STORIES = "stories260K.gguf";

    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";
    private static final Map<String, Tokenizer> TOKENIZERS = new HashMap<>();

    private TokenizerFixtures() {
    }

    static synchronized Tokenizer tokenizer(String model) {
        return TOKENIZERS.computeIfAbsent(model,
                m -> Tokenizer.fromGguf(GgufFile.read(new ArrayByteSource(TestData.readModel(m))).metadata()));
    }

    /** The texts of a file in llama.cpp's {@code .inp} layout: each text followed by {@code \n__ggml_vocab_test__\n}. */
    static List<String> texts(Path file) {
        String all = new String(TestData.readAll(file), StandardCharsets.UTF_8);
        List<String> texts = new ArrayList<>();
        int pos = 0;
        while (pos < all.length()) {
            int next = all.indexOf(SEPARATOR, pos);
            if (next < 0) {
                texts.add(all.substring(pos));
                break;
            }
            texts.add(all.substring(pos, next));
            pos = next + SEPARATOR.length();
        }
        return texts;
    }

    /** One token sequence per line, ids separated by spaces (llama.cpp's {@code .out} layout). */
    static List<int[]> tokenLines(Path file) {
        String all = new String(TestData.readAll(file), StandardCharsets.UTF_8);
        String[] rows = all.split("\n", -1);
        int count = all.endsWith("\n") ? rows.length - 1 : rows.length;
        List<int[]> lines = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            String row = rows[r].trim();
            String[] parts = row.isEmpty() ? new String[0] : row.split(" +");
            int[] ids = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                ids[i] = Integer.parseInt(parts[i]);
            }
            lines.add(ids);
        }
        return lines;
    }

    static Path reference(String name) {
        return TestData.reference(name);
    }

    static String show(int[] tokens) {
        StringBuilder out = new StringBuilder();
        for (int t : tokens) {
            out.append(out.length() == 0 ? "" : " ").append(t);
        }
        return "[" + out + "]";
    }
}
