package dev.tealama.model;

import dev.tealama.TealamaException;
import dev.tealama.bytes.ByteSource;
import dev.tealama.gguf.GgufFile;
import dev.tealama.tokenizer.Tokenizer;

/**
 * A loaded model: the parsed GGUF file, its configuration, its weights (views over the byte source, nothing copied)
 * and its tokenizer. Immutable and shareable; each generation gets its own {@link ForwardPass} (KV cache, buffers).
 */
public final class LlamaModel {
    private final GgufFile file;
    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final Tokenizer tokenizer;

    private LlamaModel(GgufFile file, LlamaConfig config, LlamaWeights weights, Tokenizer tokenizer) {
        this.file = file;
        this.config = config;
        this.weights = weights;
        this.tokenizer = tokenizer;
    }

    /** Parses and checks a GGUF model: format, architecture, tokenizer, every tensor's presence, shape and type. */
    public static LlamaModel load(ByteSource source) {
        GgufFile file = GgufFile.read(source);
        LlamaConfig.requireSupportedArchitecture(file.metadata());
        Tokenizer tokenizer = Tokenizer.fromGguf(file.metadata());
        LlamaConfig config = LlamaConfig.fromMetadata(file.metadata(), tokenizer.vocabularySize());
        if (tokenizer.vocabularySize() > config.vocabularySize()) {
            throw new TealamaException("the tokenizer has " + tokenizer.vocabularySize()
                    + " tokens but the model only " + config.vocabularySize() + " embedding rows");
        }
        LlamaWeights weights = LlamaWeights.bind(file, config);
        return new LlamaModel(file, config, weights, tokenizer);
    }

    public GgufFile file() {
        return file;
    }

    public LlamaConfig config() {
        return config;
    }

    public LlamaWeights weights() {
        return weights;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The Jinja chat template the file carries ({@code tokenizer.chat_template}), or null. */
    public String chatTemplateSource() {
        return file.metadata().string("tokenizer.chat_template", null);
    }

    /** The model's name from metadata, or null. */
    public String name() {
        return file.metadata().string("general.name", null);
    }

    /** A forward pass (KV cache of {@code contextSize} positions, batches of up to {@code maxBatch} tokens). */
    public ForwardPass newForwardPass(Kernels kernels, NumericScheme scheme, int contextSize, int maxBatch) {
        return new ForwardPass(config, weights, kernels, scheme, contextSize, maxBatch);
    }

    /** Weights read per token (bytes), the figure memory bandwidth divides. */
    public long weightBytesPerToken() {
        long total = 0;
        for (LayerWeights l : weights.layers()) {
            total += l.query().byteSize() + l.key().byteSize() + l.value().byteSize() + l.attentionOutput().byteSize()
                    + l.ffnGate().byteSize() + l.ffnUp().byteSize() + l.ffnDown().byteSize();
        }
        return total + weights.output().byteSize();
    }
}
