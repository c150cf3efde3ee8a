package dev.tealama.cli;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.gguf.GgufFile;
import dev.tealama.gguf.GgufWriter;
import dev.tealama.gguf.TensorData;
import dev.tealama.gguf.TensorInfo;
import dev.tealama.tensor.GgmlType;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input of every kind gives a non-zero exit, one message naming the problem, and no stack trace: exit 1 for a
 * problem with the input, 2 for a usage error (with the synopsis), 3 for an internal error.
 */
class BadInputTest {
    private static final Path STORIES = TestData.model("stories260K.gguf");

    @TempDir
    Path dir;

    private static Tealama run(Path model, String... extra) {
        String[] args = new String[extra.length + 3];
        args[0] = "run";
        args[1] = "-m";
        args[2] = model.toString();
        System.arraycopy(extra, 0, args, 3, extra.length);
        return Tealama.run(args);
    }

    /** stories260K rewritten: metadata kept where {@code keepKey}, then {@code edit}; tensors copied. */
    private Path storiesVariant(String name, Predicate<String> keepKey, Consumer<GgufWriter> edit,
                                Consumer<GgufWriter> addTensors) throws IOException {
        GgufFile source = GgufFile.read(new ArrayByteSource(Files.readAllBytes(STORIES)));
        GgufWriter writer = new GgufWriter();
        for (String key : source.metadata().keys()) {
            if (keepKey.test(key)) {
                writer.put(key, source.metadata().get(key));
            }
        }
        edit.accept(writer);
        if (addTensors != null) {
            addTensors.accept(writer);
        } else {
            for (TensorInfo t : source.tensors()) {
                writer.addTensor(t.name(), t.type(), t.dims(), TensorData.copyOf(source.source(), t.offset(),
                        t.byteSize()));
            }
        }
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            writer.writeTo(out);
        }
        return file;
    }

    /** stories260K with {@code blk.0.attn_q.weight} stored as {@code type} (zeros). */
    private Path storiesWithQueryType(String name, GgmlType type) throws IOException {
        GgufFile source = GgufFile.read(new ArrayByteSource(Files.readAllBytes(STORIES)));
        return storiesVariant(name, key -> true, w -> { }, w -> {
            for (TensorInfo t : source.tensors()) {
                if (t.name().equals("blk.0.attn_q.weight")) {
                    w.addTensor(t.name(), type, t.dims(), new byte[(int) type.bytesFor(t.elementCount())]);
                } else {
                    w.addTensor(t.name(), t.type(), t.dims(), TensorData.copyOf(source.source(), t.offset(),
                            t.byteSize()));
                }
            }
        });
    }

    @Test
    void missingFile() {
        run(dir.resolve("nowhere.gguf")).assertFailure(Main.EXIT_ERROR, "nowhere.gguf", "does not exist");
        Tealama.run("inspect", "-m", dir.resolve("nowhere.gguf").toString())
                .assertFailure(Main.EXIT_ERROR, "does not exist");
    }

    @Test
    void directory() {
        run(dir).assertFailure(Main.EXIT_ERROR, "is a directory");
        Tealama.run("inspect", "-m", dir.toString()).assertFailure(Main.EXIT_ERROR, "is a directory");
    }

    @Test
    void emptyFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.gguf"));
        run(empty).assertFailure(Main.EXIT_ERROR, "empty.gguf", "is empty");
        run(empty, "--weights", "heap").assertFailure(Main.EXIT_ERROR, "is empty");
    }

    @Test
    void truncatedGguf() throws IOException {
        byte[] whole = Files.readAllBytes(STORIES);
        Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(whole, whole.length / 2));
        run(cut).assertFailure(Main.EXIT_ERROR, "cut.gguf", "GGUF");
        run(cut, "--weights", "heap").assertFailure(Main.EXIT_ERROR, "cut.gguf", "GGUF");
        Tealama.run("inspect", "-m", cut.toString()).assertFailure(Main.EXIT_ERROR, "cut.gguf", "GGUF");
        Path header = Files.write(dir.resolve("header.gguf"), Arrays.copyOf(whole, 100));
        run(header).assertFailure(Main.EXIT_ERROR, "header.gguf", "GGUF");
    }

    @Test
    void notAGgufFile() throws IOException {
        Path text = Files.writeString(dir.resolve("readme.txt"), "# Just some text\nnot a model\n");
        run(text).assertFailure(Main.EXIT_ERROR, "not a GGUF file");
        Path tiny = Files.write(dir.resolve("tiny.bin"), new byte[] {1, 2});
        run(tiny).assertFailure(Main.EXIT_ERROR, "not a GGUF file");
    }

    @Test
    void unsupportedArchitecture() throws IOException {
        Path gpt2 = storiesVariant("gpt2.gguf", key -> true, w -> w.putString("general.architecture", "gpt2"), null);
        run(gpt2).assertFailure(Main.EXIT_ERROR, "unsupported architecture 'gpt2'");
    }

    @Test
    void tensorTypeTealamaCannotRun() throws IOException {
        Path q50 = storiesWithQueryType("q5_0.gguf", GgmlType.Q5_0);
        run(q50).assertFailure(Main.EXIT_ERROR, "blk.0.attn_q.weight", "Q5_0");
    }

    @Test
    void tensorTypeNobodyKnows() throws IOException {
        // write a Q8_0 tensor, then change its type id in the tensor table to 99, which ggml never defined
        Path file = storiesWithQueryType("type99.gguf", GgmlType.Q8_0);
        byte[] bytes = Files.readAllBytes(file);
        byte[] name = "blk.0.attn_q.weight".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(bytes, name) + name.length;   // then: u32 n_dims, n_dims x u64, u32 type
        int typeAt = at + 4 + 8 * bytes[at];
        assertTrue(bytes[typeAt] == GgmlType.Q8_0.id());
        bytes[typeAt] = 99;
        Files.write(file, bytes);
        run(file).assertFailure(Main.EXIT_ERROR, "blk.0.attn_q.weight", "99");
        Tealama.run("inspect", "-m", file.toString()).assertFailure(Main.EXIT_ERROR, "99");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }

    @Test
    void vocabularyOnlyGguf() {
        run(TestData.model("ggml-vocab-llama-spm.gguf")).assertFailure(Main.EXIT_ERROR, "no tensors");
    }

    @Test
    void missingTokenizer() throws IOException {
        Path file = storiesVariant("notok.gguf", key -> !key.startsWith("tokenizer."), w -> { }, null);
        run(file).assertFailure(Main.EXIT_ERROR, "no tokenizer");
    }

    @Test
    void promptLongerThanTheContext() {
        run(STORIES, "-c", "8", "-p", "Once upon a time there was a little girl named Lily who")
                .assertFailure(Main.EXIT_ERROR, "prompt", "--ctx-size");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--temp | -1 | --temp",
        "--temp | NaN | --temp",
        "--top-p | 2 | --top-p",
        "--top-p | 0 | --top-p",
        "--min-p | 1.5 | --min-p",
        "--top-k | -3 | --top-k",
        "--repeat-penalty | 0 | --repeat-penalty",
        "--repeat-last-n | -1 | --repeat-last-n",
        "-n | -2 | --max-tokens",
        "--template | chatml | unknown --template 'chatml'",
        "--threads | 0 | --threads",
        "--ctx-size | 0 | --ctx-size",
        "--weights | disk | mmap, heap, hugepages or auto",
        "--kernels | gpu | vector or scalar",
        "--numerics | exact | llama-cpp or precise",
        "--seed | abc | --seed",
        "-n | many | -n",
        "--stop | '' | --stop",
    })
    void badOptionValuesAreUsageErrors(String option, String value, String mentioned) {
        Tealama run = Tealama.run("run", option, value).assertFailure(Main.EXIT_USAGE, mentioned);
        assertTrue(run.err().contains("Usage: tealama run"), run.err());
        Tealama.run("chat", option, value).assertFailure(Main.EXIT_USAGE, mentioned);
    }

    @Test
    void usageErrors() {
        Tealama.run().assertFailure(Main.EXIT_USAGE, "a command is required");
        Tealama.run("generate").assertFailure(Main.EXIT_USAGE, "generate");
        Tealama.run("run", "--bogus").assertFailure(Main.EXIT_USAGE, "--bogus");
        Tealama.run("run", "-p", "a", "b").assertFailure(Main.EXIT_USAGE, "either with -p or as the argument");
        Tealama.run("run", "--raw", "--template", "llama3").assertFailure(Main.EXIT_USAGE, "--raw");
        Tealama.run("inspect", "extra").assertFailure(Main.EXIT_USAGE, "extra");
    }

    @Test
    void helpAndVersion() {
        for (String[] args : new String[][] {{"--help"}, {"run", "--help"}, {"chat", "-h"}, {"inspect", "--help"},
                {"quantize", "--help"}, {"help", "run"}}) {
            Tealama run = Tealama.run(args).assertSuccess();
            assertTrue(run.out().startsWith("Usage: tealama"), run.out());
        }
        assertTrue(Tealama.run("--version").assertSuccess().out().startsWith("tealama "));
        assertTrue(Tealama.run("run", "--version").assertSuccess().out().startsWith("tealama "));
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        private final Throwable failure;

        Boom(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() throws Exception {
            if (failure instanceof Error e) {
                throw e;
            }
            throw (Exception) failure;
        }
    }

    private static Tealama boom(Throwable failure, String... args) {
        Tealama t = Tealama.withInput("");
        t.commandLine.addSubcommand("boom", new Boom(failure));
        return t.execute(args);
    }

    @Test
    void internalErrorsNameTheExceptionAndHideTheStackTrace() {
        boom(new IllegalStateException("the impossible happened"), "boom")
                .assertFailure(Main.EXIT_INTERNAL, "internal error: java.lang.IllegalStateException: the impossible "
                        + "happened (run with --verbose for the stack trace)");
        Tealama verbose = boom(new IllegalStateException("again"), "boom", "--verbose");
        assertTrue(verbose.exitCode() == Main.EXIT_INTERNAL && verbose.err().contains("\tat "), verbose.err());
    }

    @Test
    void outOfMemoryGetsAHint() {
        boom(new OutOfMemoryError("Java heap space"), "boom")
                .assertFailure(Main.EXIT_ERROR, "out of memory", "-Xmx", "--weights mmap", "--ctx-size");
        boom(new IllegalStateException(new OutOfMemoryError("Java heap space")), "boom")
                .assertFailure(Main.EXIT_ERROR, "out of memory");
    }

    @Test
    void aContextTooLargeForTheHeapIsRefusedUpFront() {
        // 2^27 positions of stories260K's cache: 5 layers x 2 x 32 values x 2 bytes each = 80 GiB
        run(STORIES, "-c", Integer.toString(1 << 27), "-n", "1")
                .assertFailure(Main.EXIT_ERROR, "KV cache", "--ctx-size");
    }
}
