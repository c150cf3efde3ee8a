package dev.tealama.model;

import dev.tealama.TealamaException;
import dev.tealama.gguf.GgufMetadata;

/**
 * The hyper-parameters of a Llama-family model, read from GGUF metadata ({@code llama.*} keys).
 *
 * <p>Llama 2, Llama 3 / 3.1 / 3.2, TinyLlama, SmolLM and other look-alikes all declare
 * {@code general.architecture = llama}; they differ only in these numbers, in optional RoPE frequency scaling and in
 * tied or separate output weights.
 *
 * @param dim            width of the residual stream ({@code embedding_length})
 * @param layers         number of transformer blocks
 * @param heads          query heads
 * @param kvHeads        key/value heads (fewer than {@code heads} with grouped-query attention)
 * @param headDim        width of one head
 * @param ffnDim         hidden width of the feed-forward block
 * @param vocabularySize rows of the token embedding
 * @param contextLength  positions the model was trained for
 * @param normEps        RMSNorm epsilon
 * @param ropeTheta      RoPE frequency base
 * @param ropeFreqScale  linear RoPE position scale (1 / {@code rope.scaling.factor}; 1 when unscaled)
 * @param ropeAttnFactor multiplier on RoPE's cos and sin ({@code rope.scaling.attn_factor}; 1 for Llama)
 */
public record LlamaConfig(
        int dim,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int ffnDim,
        int vocabularySize,
        int contextLength,
        float normEps,
        float ropeTheta,
        float ropeFreqScale,
        float ropeAttnFactor) {

    /** The only GGUF architecture name this engine runs. */
    public static final String ARCHITECTURE = "llama";

    public LlamaConfig {
        require(dim > 0 && layers > 0 && heads > 0 && kvHeads > 0 && headDim > 0 && ffnDim > 0 && vocabularySize > 0,
                "dimensions must be positive");
        require(heads % kvHeads == 0, "head_count " + heads + " is not a multiple of head_count_kv " + kvHeads);
        require(headDim % 2 == 0, "head size " + headDim + " must be even for RoPE");
        require(contextLength > 0, "context_length must be positive");
    }

    /** Width of all query heads together. */
    public int queryDim() {
        return heads * headDim;
    }

    /** Width of all key (or value) heads together. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Query heads that share one key/value head. */
    public int groupSize() {
        return heads / kvHeads;
    }

    /**
     * Reads the configuration; {@code tokenCount} (the tokenizer's vocabulary) stands in for a missing
     * {@code llama.vocab_size}.
     */
    public static LlamaConfig fromMetadata(GgufMetadata meta, int tokenCount) {
        String arch = requireSupportedArchitecture(meta);
        String p = arch + ".";
        if (meta.integer(p + "expert_count", 0) > 0) {
            throw new TealamaException("mixture-of-experts Llama models (" + p + "expert_count > 0) are not supported");
        }
        int dim = positive(meta, p + "embedding_length");
        int layers = positive(meta, p + "block_count");
        int heads = positive(meta, p + "attention.head_count");
        int kvHeads = meta.contains(p + "attention.head_count_kv") ? positive(meta, p + "attention.head_count_kv") : heads;
        if (dim % heads != 0) {
            throw new TealamaException("embedding_length " + dim + " is not a multiple of head_count " + heads);
        }
        int headDim = meta.int32(p + "attention.key_length", dim / heads);
        int valueDim = meta.int32(p + "attention.value_length", headDim);
        int ropeDims = meta.int32(p + "rope.dimension_count", headDim);
        if (valueDim != headDim || ropeDims != headDim) {
            throw new TealamaException("unsupported head geometry: key_length " + headDim + ", value_length " + valueDim
                    + ", rope.dimension_count " + ropeDims + " (Llama rotates whole heads of one size)");
        }
        int ffn = positive(meta, p + "feed_forward_length");
        int vocab = meta.contains(p + "vocab_size") ? positive(meta, p + "vocab_size") : tokenCount;
        int ctx = positive(meta, p + "context_length");
        float eps = meta.float32(p + "attention.layer_norm_rms_epsilon", 1e-5f);
        float theta = meta.float32(p + "rope.freq_base", 10000f);

        String scaling = meta.string(p + "rope.scaling.type", "linear");
        float factor = meta.float32(p + "rope.scaling.factor", meta.float32(p + "rope.scale_linear", 0f));
        float freqScale;
        switch (scaling) {
            case "none":
                freqScale = 1f;
                break;
            case "linear":
                freqScale = factor != 0f ? 1f / factor : 1f;
                break;
            default:
                // Llama 3.1/3.2 scaling needs no type: it comes as the rope_freqs tensor (see LlamaWeights)
                throw new TealamaException("unsupported RoPE scaling type '" + scaling + "' (supported: none, linear)");
        }
        float attnFactor = meta.float32(p + "rope.scaling.attn_factor", 1f);
        return new LlamaConfig(dim, layers, heads, kvHeads, headDim, ffn, vocab, ctx, eps, theta, freqScale, attnFactor);
    }

    /**
     * Checks {@code general.architecture} names a model this engine runs, before anything else is read (so an
     * unsupported model is named as such, not reported as a missing tokenizer or tensor).
     */
    public static String requireSupportedArchitecture(GgufMetadata meta) {
        String arch = meta.string("general.architecture", null);
        if (arch == null) {
            throw new TealamaException("the model has no general.architecture key; is this a model file?");
        }
        if (!ARCHITECTURE.equals(arch)) {
            throw new TealamaException("unsupported architecture '" + arch
                    + "': Tealama runs Llama-family models (general.architecture = llama)");
        }
        return arch;
    }

    private static int positive(GgufMetadata meta, String key) {
        if (!meta.contains(key)) {
            throw new TealamaException("the model's metadata lacks " + key);
        }
        long v = meta.integer(key);
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw new TealamaException("metadata " + key + " = " + v + " is out of range");
        }
        return (int) v;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new TealamaException("invalid model configuration: " + message);
        }
    }
}
