package dev.tealama.model;

import dev.tealama.TealamaException;
import dev.tealama.gguf.GgufFile;
import dev.tealama.gguf.TensorInfo;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.WeightFormat;

import java.util.ArrayList;
import java.util.List;

/**
 * All weights of a Llama model, bound to the tensors of a GGUF file and checked against the configuration: every
 * tensor present, of the expected shape, of a type the kernels support. A model whose file lacks
 * {@code output.weight} ties its output projection to the token embedding.
 */
public record LlamaWeights(
        Matrix tokenEmbedding,
        List<LayerWeights> layers,
        float[] outputNorm,
        Matrix output,
        float[] ropeFrequencyFactors) {

    /** Whether the output projection is the token embedding (tied weights). */
    public boolean tiedOutput() {
        return output == tokenEmbedding;
    }

    public static LlamaWeights bind(GgufFile file, LlamaConfig c) {
        Binder b = new Binder(file);
        Matrix embedding = b.matrix("token_embd.weight", c.dim(), c.vocabularySize());
        List<LayerWeights> layers = new ArrayList<>(c.layers());
        for (int i = 0; i < c.layers(); i++) {
            String p = "blk." + i + ".";
            if (file.tensor(p + "attn_qkv.weight") != null) {
                throw new TealamaException("tensor " + p + "attn_qkv.weight: fused QKV weights are not supported");
            }
            layers.add(new LayerWeights(
                    b.vector(p + "attn_norm.weight", c.dim()),
                    b.matrix(p + "attn_q.weight", c.dim(), c.queryDim()),
                    b.matrix(p + "attn_k.weight", c.dim(), c.kvDim()),
                    b.matrix(p + "attn_v.weight", c.dim(), c.kvDim()),
                    b.matrix(p + "attn_output.weight", c.queryDim(), c.dim()),
                    b.vector(p + "ffn_norm.weight", c.dim()),
                    b.matrix(p + "ffn_gate.weight", c.dim(), c.ffnDim()),
                    b.matrix(p + "ffn_up.weight", c.dim(), c.ffnDim()),
                    b.matrix(p + "ffn_down.weight", c.ffnDim(), c.dim())));
        }
        float[] outputNorm = b.vector("output_norm.weight", c.dim());
        Matrix output = file.tensor("output.weight") != null
                ? b.matrix("output.weight", c.dim(), c.vocabularySize())
                : embedding;
        float[] ropeFactors = file.tensor("rope_freqs.weight") != null
                ? b.vector("rope_freqs.weight", c.headDim() / 2)
                : null;
        return new LlamaWeights(embedding, List.copyOf(layers), outputNorm, output, ropeFactors);
    }

    /** Looks tensors up by name and turns them into views, with errors that name the tensor. */
    private static final class Binder {
        private final GgufFile file;

        Binder(GgufFile file) {
            this.file = file;
        }

        private TensorInfo require(String name) {
            TensorInfo t = file.tensor(name);
            if (t == null) {
                throw new TealamaException("the model lacks tensor " + name);
            }
            if (!t.type().isSupported()) {
                throw new TealamaException("tensor " + name + " has type " + t.type()
                        + ", which Tealama does not support (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q4_K, Q5_K, Q6_K)");
            }
            return t;
        }

        Matrix matrix(String name, long cols, long rows) {
            TensorInfo t = require(name);
            long[] d = t.dims();
            boolean shapeOk = d.length == 2 ? d[0] == cols && d[1] == rows : d.length > 2 && d[0] == cols && d[1] == rows
                    && allOnes(d, 2);
            if (!shapeOk) {
                throw new TealamaException("tensor " + name + " has shape " + shape(d) + ", expected [" + cols + ", " + rows + "]");
            }
            return new Matrix(name, WeightFormat.of(t.type()), (int) rows, (int) cols, file.source(), t.offset());
        }

        float[] vector(String name, int length) {
            TensorInfo t = require(name);
            long[] d = t.dims();
            if (t.elementCount() != length || d[0] != length) {
                throw new TealamaException("tensor " + name + " has shape " + shape(d) + ", expected [" + length + "]");
            }
            WeightFormat f = WeightFormat.of(t.type());
            GgmlType type = t.type();
            if (length % type.blockSize() != 0) {
                throw new TealamaException("tensor " + name + ": length " + length + " is not a whole number of " + type + " blocks");
            }
            byte[] bytes = new byte[(int) t.byteSize()];
            file.source().read(t.offset(), bytes, 0, bytes.length);
            float[] out = new float[length];
            f.dequantize(bytes, 0, out, 0, length);
            return out;
        }

        private static boolean allOnes(long[] d, int from) {
            for (int i = from; i < d.length; i++) {
                if (d[i] != 1) {
                    return false;
                }
            }
            return true;
        }

        private static String shape(long[] d) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < d.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(d[i]);
            }
            return sb.append(']').toString();
        }
    }
}
