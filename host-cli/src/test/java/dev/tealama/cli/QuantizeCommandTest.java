package dev.tealama.cli;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.gguf.GgufFile;
import dev.tealama.gguf.TensorInfo;
import dev.tealama.math.Sha256;
import dev.tealama.testing.Reference;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tealama quantize} writes llama.cpp's bytes: the SHA-256 of every output equals that of
 * {@code llama-quantize --pure} on the same input (testdata/reference/quantize.sha256, made with llama.cpp), and the
 * tensors equal those of the committed Q8_0 / Q4_0 models (made independently by ../shared/tools, checked by their
 * author against llama-quantize).
 */
class QuantizeCommandTest {
    @TempDir
    Path dir;

    /** The SHA-256 llama-quantize's output has for {@code input} quantized to {@code type}. */
    static String llamaQuantizeSha256(String input, String type) throws IOException {
        for (String line : Files.readAllLines(TestData.reference("quantize.sha256"))) {
            String[] f = line.trim().split("\\s+");
            if (!line.startsWith("#") && f.length == 3 && f[1].equals(input) && f[2].equalsIgnoreCase(type)) {
                return f[0];
            }
        }
        throw new IllegalStateException("no llama-quantize reference for " + input + " " + type);
    }

    static String sha256(Path file) throws IOException {
        return HexFormat.of().formatHex(Sha256.hash(Files.readAllBytes(file)));
    }

    private Tealama quantize(Path in, Path out, String type) {
        return Tealama.run("quantize", in.toString(), out.toString(), "--type", type);
    }

    @ParameterizedTest
    @CsvSource({"tiny-llama3-F32.gguf, Q8_0", "tiny-llama3-F32.gguf, Q4_0", "stories260K.gguf, Q8_0",
            "stories260K.gguf, Q4_0"})
    void sameBytesAsLlamaQuantize(String input, String type) throws IOException {
        Path out = dir.resolve("out.gguf");
        Tealama run = quantize(TestData.model(input), out, type).assertSuccess();
        assertEquals(llamaQuantizeSha256(input, type), sha256(out));
        assertFalse(Files.exists(dir.resolve("out.gguf.tmp")));
        if (input.startsWith("stories")) {
            // its ffn_down rows are 172 long: no whole Q8_0/Q4_0 blocks, so llama.cpp writes them as F16
            for (int layer = 0; layer < 5; layer++) {
                assertTrue(run.err().contains("warning: blk." + layer + ".ffn_down.weight: rows of 172 elements"),
                        run.err());
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"Q8_0, tiny-llama3-Q8_0.gguf", "Q4_0, tiny-llama3-Q4_0.gguf"})
    void tensorsEqualTheCommittedQuantizedModel(String type, String committed) {
        Path out = dir.resolve("out.gguf");
        quantize(TestData.model("tiny-llama3-F32.gguf"), out, type).assertSuccess();
        GgufFile ours = GgufFile.read(new ArrayByteSource(TestData.readAll(out)));
        GgufFile theirs = GgufFile.read(new ArrayByteSource(TestData.readModel(committed)));
        assertEquals(theirs.tensors().size(), ours.tensors().size());
        for (TensorInfo t : theirs.tensors()) {
            TensorInfo o = ours.tensor(t.name());
            assertNotNull(o, t.name());
            assertEquals(t.type(), o.type(), t.name());
            assertArrayEquals(t.dims(), o.dims(), t.name());
            assertArrayEquals(bytes(theirs, t), bytes(ours, o), t.name());
        }
        assertEquals(type.equals("Q8_0") ? 7 : 2, ours.metadata().int32("general.file_type"));
        assertEquals(2, ours.metadata().int32("general.quantization_version"));
    }

    private static byte[] bytes(GgufFile file, TensorInfo t) {
        byte[] b = new byte[(int) t.byteSize()];
        file.source().read(t.offset(), b, 0, b.length);
        return b;
    }

    @Test
    void theQuantizedModelGeneratesLlamaCppsText() {
        Path out = dir.resolve("q8.gguf");
        quantize(TestData.model("tiny-llama3-F32.gguf"), out, "q8_0").assertSuccess();
        Reference.Greedy ref = Reference.greedy(TestData.root().resolve("reference"), "tiny-llama3-Q8_0.gguf");
        Tealama run = Tealama.run("run", "-m", out.toString(), "--template", "plain", "--temp", "0", "-n",
                Integer.toString(ref.genIds().length), ref.prompt()).assertSuccess();
        assertEquals(ref.text(), run.out());
    }

    @Test
    void refusesToOverwriteItsInput() throws IOException {
        Path in = dir.resolve("model.gguf");
        Files.copy(TestData.model("stories260K.gguf"), in);
        byte[] before = Files.readAllBytes(in);
        quantize(in, in, "Q8_0").assertFailure(Main.EXIT_ERROR, "is the input file");
        Files.createDirectories(dir.resolve("sub"));
        quantize(in, dir.resolve("sub/../model.gguf"), "Q8_0").assertFailure(Main.EXIT_ERROR, "is the input file");
        assertArrayEquals(before, Files.readAllBytes(in));
    }

    @Test
    void refusesQuantizedInput() {
        quantize(TestData.model("tiny-llama3-Q8_0.gguf"), dir.resolve("out.gguf"), "Q4_0")
                .assertFailure(Main.EXIT_ERROR, "token_embd.weight", "already Q8_0");
        assertFalse(Files.exists(dir.resolve("out.gguf")));
        assertFalse(Files.exists(dir.resolve("out.gguf.tmp")));
    }

    @Test
    void badOutputPlaces() throws IOException {
        quantize(TestData.model("stories260K.gguf"), dir.resolve("missing/out.gguf"), "Q8_0")
                .assertFailure(Main.EXIT_ERROR, "does not exist");
        Files.createDirectories(dir.resolve("adir"));
        quantize(TestData.model("stories260K.gguf"), dir.resolve("adir"), "Q8_0")
                .assertFailure(Main.EXIT_ERROR, "is a directory");
    }

    @Test
    void unsupportedTypeIsAUsageError() {
        quantize(TestData.model("stories260K.gguf"), dir.resolve("out.gguf"), "Q4_K")
                .assertFailure(Main.EXIT_USAGE, "Q4_K", "Q8_0 or Q4_0");
        Tealama.run("quantize", TestData.model("stories260K.gguf").toString(), dir.resolve("o.gguf").toString())
                .assertFailure(Main.EXIT_USAGE, "--type");
    }

    @Test
    void badInputFiles() throws IOException {
        quantize(dir.resolve("nope.gguf"), dir.resolve("out.gguf"), "Q8_0")
                .assertFailure(Main.EXIT_ERROR, "nope.gguf", "does not exist");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a model at all");
        quantize(text, dir.resolve("out.gguf"), "Q8_0").assertFailure(Main.EXIT_ERROR, "not a GGUF file");
    }
}
