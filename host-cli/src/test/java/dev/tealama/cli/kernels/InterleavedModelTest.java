package dev.tealama.cli.kernels;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.cli.KernelChoice;
import dev.tealama.cli.LoadedModel;
import dev.tealama.cli.WeightsStrategy;
import dev.tealama.gguf.GgufFile;
import dev.tealama.gguf.GgufWriter;
import dev.tealama.model.NumericScheme;
import dev.tealama.model.ReferenceRun;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.WeightFormat;
import dev.tealama.tensor.WeightQuantizer;
import dev.tealama.testing.Reference;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole model through {@link LoadedModel} with its Q4_0 or Q8_0 matrices repacked ({@link HostKernels#interleave}): a
 * two-layer Llama of dimension 512 (the committed tiny models are too narrow for whole rounds of 512 elements), with
 * tiny-llama3-Q4_0's tokenizer and random weights, its output projection the repacked token embedding. Loaded as a
 * copy ({@code --weights heap}) it must give the prompt logits of core's scalar kernels, within what another
 * summation order moves them, and the same choice of next token. (llama.cpp's own agreement on real-shaped files is
 * checked by {@link HostKernelsExtendedReferenceTest#benchmarkShapes}, which repacks them too.)
 */
class InterleavedModelTest {
    private static final int DIM = 512;
    private static final int FFN = 1024;
    private static final int HEADS = 32;
    private static final int KV_HEADS = 8;
    private static final int LAYERS = 2;

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_0", "Q8_0"})
    void repackedModelGivesTheScalarKernelsLogits(GgmlType type, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("wide-" + type + ".gguf");
        Files.write(file, wideModel(type));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        float[] vector;
        float[] scalar;
        int[] prompt;
        try (LoadedModel repacked = LoadedModel.load(file, WeightsStrategy.HEAP, KernelChoice.VECTOR, 2,
                NumericScheme.LLAMA_CPP, new PrintStream(log, true))) {
            prompt = repacked.model().tokenizer().encode("Once upon a time, a small fox", true, false);
            vector = ReferenceRun.promptLogits(repacked.model(), repacked.kernels(), NumericScheme.LLAMA_CPP, prompt);
        }
        try (LoadedModel reference = LoadedModel.load(file, WeightsStrategy.MMAP, KernelChoice.SCALAR, 1,
                NumericScheme.LLAMA_CPP, new PrintStream(OutputStream.nullOutputStream()))) {
            scalar = ReferenceRun.promptLogits(reference.model(), reference.kernels(), NumericScheme.LLAMA_CPP, prompt);
        }
        if (Lanes.WIDE && Lanes.SUPPORTED) {
            assertTrue(log.toString().contains("interleaved"), "the matrices were repacked: " + log);
        }
        double maxDiff = Reference.maxAbsDiff(vector, scalar);
        double maxLogit = 0;
        for (float logit : scalar) {
            maxLogit = Math.max(maxLogit, Math.abs(logit));
        }
        // another summation order moves a matmul's results in their last bits, which now and then moves an activation
        // across a Q8_0 rounding boundary, and two layers carry that on: the host's kernels on the GGUF layout differ
        // from the scalar ones by ~0.4% of the largest logit here too; a wrong kernel moves them by tens of percent
        assertTrue(maxDiff <= 0.01 * maxLogit, "logits differ by " + maxDiff + " (largest " + maxLogit + ")");
        assertEquals(Reference.argmax(scalar), Reference.argmax(vector), "next token");
    }

    /** tiny-llama3-Q4_0.gguf's metadata (tokenizer and all) at dimension 512, with new random tensors. */
    private static byte[] wideModel(GgmlType type) {
        GgufFile tiny = GgufFile.read(new ArrayByteSource(TestData.readModel("tiny-llama3-Q4_0.gguf")));
        int vocabulary = (int) tiny.tensor("token_embd.weight").dims()[1];
        GgufWriter writer = new GgufWriter().alignment(tiny.alignment()).putAll(tiny.metadata())
                .putUInt32("llama.embedding_length", DIM)
                .putUInt32("llama.feed_forward_length", FFN)
                .putUInt32("llama.attention.head_count", HEADS)
                .putUInt32("llama.attention.head_count_kv", KV_HEADS)
                .putUInt32("llama.block_count", LAYERS);
        SplittableRandom random = new SplittableRandom(2026);
        int kvDim = DIM / HEADS * KV_HEADS;
        matrix(writer, "token_embd.weight", type, vocabulary, DIM, 1.0, random);
        for (int l = 0; l < LAYERS; l++) {
            String p = "blk." + l + ".";
            writer.addTensor(p + "attn_norm.weight", GgmlType.F32, new long[] {DIM}, ones(DIM));
            matrix(writer, p + "attn_q.weight", type, DIM, DIM, 0.05, random);
            matrix(writer, p + "attn_k.weight", type, kvDim, DIM, 0.05, random);
            matrix(writer, p + "attn_v.weight", type, kvDim, DIM, 0.05, random);
            matrix(writer, p + "attn_output.weight", type, DIM, DIM, 0.05, random);
            writer.addTensor(p + "ffn_norm.weight", GgmlType.F32, new long[] {DIM}, ones(DIM));
            matrix(writer, p + "ffn_gate.weight", type, FFN, DIM, 0.05, random);
            matrix(writer, p + "ffn_up.weight", type, FFN, DIM, 0.05, random);
            matrix(writer, p + "ffn_down.weight", type, DIM, FFN, 0.05, random);
        }
        writer.addTensor("output_norm.weight", GgmlType.F32, new long[] {DIM}, ones(DIM));
        return writer.toByteArray();
    }

    /** Adds {@code rows} rows of {@code cols} Gaussian weights of deviation {@code sigma}, quantized by core. */
    private static void matrix(GgufWriter writer, String name, GgmlType type, int rows, int cols, double sigma,
                               SplittableRandom random) {
        float[] f = new float[rows * cols];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (random.nextGaussian() * sigma);
        }
        byte[] w = new byte[(int) type.bytesFor(f.length)];
        ((WeightQuantizer) WeightFormat.of(type)).quantize(f, 0, w, 0, f.length);
        writer.addTensor(name, type, new long[] {cols, rows}, w);
    }

    private static byte[] ones(int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(1f);
        }
        return b.array();
    }
}
