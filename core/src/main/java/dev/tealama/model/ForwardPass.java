package dev.tealama.model;

import dev.tealama.TealamaException;
import dev.tealama.tensor.ActivationType;

/**
 * The Llama forward pass over a batch of consecutive tokens, in resumable pieces: {@link #beginBatch} embeds the
 * tokens, {@link #runLayer} runs one transformer block for the whole batch, {@link #prepareOutput} and
 * {@link #computeLogits} produce the last token's logits. A session calls these one unit at a time so that a
 * canister can stop between any two of them and resume in its next message (see the step contract).
 *
 * <p>Per layer: RMSNorm → Q, K, V projections → RoPE → keys and values into the cache → causal attention → output
 * projection → residual; RMSNorm → SwiGLU feed-forward → residual. All buffers are allocated here, once.
 */
public final class ForwardPass {
    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final Kernels kernels;
    private final NumericScheme scheme;
    private final KvCache cache;
    private final Rope rope;
    private final Attention attention;
    private final int maxBatch;

    // per-token buffers, [token][feature]
    private final float[][] x;
    private final float[][] xb;
    private final float[][] xb2;
    private final float[][] q;
    private final float[][] k;
    private final float[][] v;
    private final float[][] att;
    private final float[][] gate;
    private final float[][] up;
    private final float[][] cos;
    private final float[][] sin;
    private final ActivationBatch dimInput;
    private final ActivationBatch queryInput;
    private final ActivationBatch ffnInput;
    private final ActivationBatch outputInput;
    private final float[][] logits;
    private final byte[] rowScratch;

    private int batchCount;
    private int batchStart;
    private Trace trace;

    /**
     * Receives intermediate tensors, named as llama.cpp's graph names them ({@code attn_norm-0}, {@code Qcur-0},
     * ...), so a parity investigation can line our values up with a dump from llama.cpp's eval callback.
     */
    public interface Trace {
        void record(String name, float[][] rows, int count);
    }

    /** Installs (or with null removes) a trace; tests and debugging only. */
    public void trace(Trace trace) {
        this.trace = trace;
    }

    private void record(String name, int layer, float[][] rows) {
        if (trace != null) {
            trace.record(name + "-" + layer, rows, batchCount);
        }
    }

    public ForwardPass(LlamaConfig config, LlamaWeights weights, Kernels kernels, NumericScheme scheme,
                       int contextSize, int maxBatch) {
        if (contextSize <= 0 || maxBatch <= 0) {
            throw new TealamaException("context size and batch size must be positive");
        }
        this.config = config;
        this.weights = weights;
        this.kernels = kernels;
        this.scheme = scheme;
        this.maxBatch = maxBatch;
        this.cache = new KvCache(config.layers(), contextSize, config.kvDim(), scheme == NumericScheme.LLAMA_CPP);
        this.rope = new Rope(config, weights.ropeFrequencyFactors());
        this.attention = new Attention(config);
        int dim = config.dim();
        x = new float[maxBatch][dim];
        xb = new float[maxBatch][dim];
        xb2 = new float[maxBatch][dim];
        q = new float[maxBatch][config.queryDim()];
        k = new float[maxBatch][config.kvDim()];
        v = new float[maxBatch][config.kvDim()];
        att = new float[maxBatch][config.queryDim()];
        gate = new float[maxBatch][config.ffnDim()];
        up = new float[maxBatch][config.ffnDim()];
        cos = new float[maxBatch][config.headDim() / 2];
        sin = new float[maxBatch][config.headDim() / 2];
        dimInput = new ActivationBatch(maxBatch, dim, kernels);
        queryInput = new ActivationBatch(maxBatch, config.queryDim(), kernels);
        ffnInput = new ActivationBatch(maxBatch, config.ffnDim(), kernels);
        outputInput = new ActivationBatch(1, dim, kernels);
        logits = new float[1][config.vocabularySize()];
        rowScratch = new byte[weights.tokenEmbedding().rowBytes()];
    }

    public LlamaConfig config() {
        return config;
    }

    public KvCache cache() {
        return cache;
    }

    /** Positions the KV cache holds. */
    public int contextSize() {
        return cache.capacity();
    }

    public int maxBatch() {
        return maxBatch;
    }

    public Kernels kernels() {
        return kernels;
    }

    /**
     * Starts a batch: {@code tokens[from..from+count)} at positions {@code startPos..}. Embeds them and prepares
     * their RoPE angles.
     */
    public void beginBatch(int[] tokens, int from, int count, int startPos) {
        if (count <= 0 || count > maxBatch) {
            throw new IllegalArgumentException("batch of " + count + " tokens (max " + maxBatch + ")");
        }
        if (startPos < 0 || startPos + count > cache.capacity()) {
            throw new TealamaException("context is full: positions " + startPos + ".." + (startPos + count - 1)
                    + " do not fit a context of " + cache.capacity());
        }
        Matrix embedding = weights.tokenEmbedding();
        for (int t = 0; t < count; t++) {
            int token = tokens[from + t];
            if (token < 0 || token >= embedding.rows()) {
                throw new TealamaException("token id " + token + " is outside the vocabulary (" + embedding.rows() + ")");
            }
            kernels.dequantizeRow(embedding, token, rowScratch, x[t]);
            rope.angles(startPos + t, cos[t], sin[t]);
        }
        batchCount = count;
        batchStart = startPos;
    }

    /** Runs transformer block {@code layer} for every token of the current batch. */
    public void runLayer(int layer) {
        LayerWeights w = weights.layers().get(layer);
        int n = batchCount;

        for (int t = 0; t < n; t++) {
            rmsNorm(xb[t], x[t], w.attentionNorm());
        }
        record("attn_norm", layer, xb);
        dimInput.set(xb, n);
        matmul(w.query(), dimInput, q);
        matmul(w.key(), dimInput, k);
        matmul(w.value(), dimInput, v);
        record("Vcur", layer, v);
        for (int t = 0; t < n; t++) {
            kernels.rope(rope, q[t], config.heads(), cos[t], sin[t]);
            kernels.rope(rope, k[t], config.kvHeads(), cos[t], sin[t]);
            kernels.storeKeyValue(cache, layer, batchStart + t, k[t], v[t]);
        }
        record("Qcur", layer, q);
        record("Kcur", layer, k);
        kernels.attention(attention, q, n, cache, layer, batchStart, att);
        record("kqv_out", layer, att);
        queryInput.set(att, n);
        matmul(w.attentionOutput(), queryInput, xb2);
        record("attn_out", layer, xb2);
        for (int t = 0; t < n; t++) {
            kernels.add(x[t], xb2[t], x[t].length);
            rmsNorm(xb[t], x[t], w.ffnNorm());
        }
        record("ffn_inp", layer, x);
        record("ffn_norm", layer, xb);

        dimInput.set(xb, n);
        matmul(w.ffnGate(), dimInput, gate);
        matmul(w.ffnUp(), dimInput, up);
        record("ffn_gate", layer, gate);
        record("ffn_up", layer, up);
        for (int t = 0; t < n; t++) {
            kernels.swiglu(gate[t], up[t], config.ffnDim());
        }
        record("ffn_swiglu", layer, gate);
        ffnInput.set(gate, n);
        matmul(w.ffnDown(), ffnInput, xb2);
        record("ffn_out", layer, xb2);
        for (int t = 0; t < n; t++) {
            kernels.add(x[t], xb2[t], x[t].length);
        }
        record("l_out", layer, x);
    }

    /** Final RMSNorm of the batch's last token, ready for {@link #computeLogits}. */
    public void prepareOutput() {
        rmsNorm(xb[0], x[batchCount - 1], weights.outputNorm());
        outputInput.set(xb, 1);
    }

    /**
     * Logits {@code [rowStart, rowEnd)} of the batch's last token (the output projection may be split over several
     * steps; it is the largest single matmul of the model).
     */
    public void computeLogits(int rowStart, int rowEnd) {
        Matrix out = weights.output();
        kernels.matmul(out, outputInput.as(activationType(out)), 1, logits, rowStart, rowEnd);
    }

    /** The logits of the last computed token (valid after {@link #computeLogits} covered every row). */
    public float[] logits() {
        return logits[0];
    }

    /** The residual stream of batch token {@code t} (for tests and debugging). */
    public float[] hidden(int t) {
        return x[t];
    }

    private void matmul(Matrix w, ActivationBatch input, float[][] out) {
        kernels.matmul(w, input.as(activationType(w)), input.count(), out, 0, w.rows());
    }

    private ActivationType activationType(Matrix w) {
        return scheme == NumericScheme.PRECISE ? ActivationType.F32 : w.format().activationType();
    }

    /** ggml's RMSNorm ({@link Kernels#rmsNorm}). */
    private void rmsNorm(float[] out, float[] in, float[] weight) {
        kernels.rmsNorm(out, in, weight, config.normEps());
    }
}
