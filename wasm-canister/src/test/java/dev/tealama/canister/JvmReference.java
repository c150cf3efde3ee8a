package dev.tealama.canister;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.canister.ic.candid.RecordValue;
import dev.tealama.chat.ChatMessage;
import dev.tealama.chat.ChatPromptEncoder;
import dev.tealama.chat.ChatTemplate;
import dev.tealama.model.ForwardPass;
import dev.tealama.model.LlamaModel;
import dev.tealama.model.NumericScheme;
import dev.tealama.model.ScalarKernels;
import dev.tealama.sampling.SamplingOptions;
import dev.tealama.session.GenerationOptions;
import dev.tealama.session.GenerationSession;
import dev.tealama.session.StepBudget;
import dev.tealama.session.StepResult;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** The same generation run by core on the JVM (scalar kernels), for "canister == JVM" checks. */
final class JvmReference {
    private JvmReference() {
    }

    record Run(int[] tokens, String text, byte[] logitsSha256) {
    }

    /**
     * A greedy generation of {@code maxTokens} tokens after {@code prompt} ("plain" template) in the canister, held to
     * this JVM run on the same file: the tokens, and the last logits bit for bit. Returns the canister's generation.
     */
    static TestCanister.Generation assertGreedyAsTheJvm(TestCanister canister, byte[] modelFile, String prompt,
                                                        int maxTokens) {
        RecordValue greedy = TestCanister.options().set("template", "plain").set("temperature", 0f)
                .set("max_tokens", (long) maxTokens);
        TestCanister.Generation g = canister.generate(TestCanister.USER, prompt, greedy);
        Run jvm = generate(modelFile, "plain", prompt, SamplingOptions.greedy(), maxTokens, canister.defaultContext());
        assertEquals(maxTokens, g.tokens().length);
        assertArrayEquals(jvm.tokens(), g.tokens(), "greedy tokens against the JVM");
        assertArrayEquals(jvm.logitsSha256(), canister.logitsSha256(TestCanister.USER, g.id()),
                "the last logits, bit for bit, against the JVM");
        return g;
    }

    /**
     * Generates as the canister does: the prompt rendered by the named template (a user message, no system prompt),
     * tokenized with BOS and special tokens, a KV cache of {@code contextSize}, batches of up to 32 tokens.
     */
    static Run generate(byte[] modelFile, String template, String prompt, SamplingOptions sampling, int maxTokens,
                        int contextSize) {
        return generate(modelFile, template, null, prompt, sampling, maxTokens, contextSize);
    }

    /** As above, with a system prompt (or null), and {@code auto} for the template the model's metadata names. */
    static Run generate(byte[] modelFile, String template, String system, String prompt, SamplingOptions sampling,
                        int maxTokens, int contextSize) {
        List<ChatMessage> messages = system == null ? List.of(ChatMessage.user(prompt))
                : List.of(ChatMessage.system(system), ChatMessage.user(prompt));
        return generate(modelFile, template, messages, sampling, maxTokens, contextSize);
    }

    /** As above, for a whole conversation (its last message is the user's turn to reply to). */
    static Run generate(byte[] modelFile, String template, List<ChatMessage> messages, SamplingOptions sampling,
                        int maxTokens, int contextSize) {
        LlamaModel model = LlamaModel.load(new ArrayByteSource(modelFile));
        ChatTemplate chat = template.equals("auto") ? ChatTemplate.detect(model.chatTemplateSource())
                : ChatTemplate.named(template);
        int[] tokens = new ChatPromptEncoder(model.tokenizer(), chat).encode(messages, true);
        ForwardPass forward = model.newForwardPass(new ScalarKernels(), NumericScheme.LLAMA_CPP, contextSize,
                Math.min(32, contextSize));
        GenerationSession session = new GenerationSession(model, forward);
        session.start(tokens, new GenerationOptions(maxTokens, sampling, List.of()));
        StepResult r = session.step(StepBudget.unlimited());
        float[] logits = forward.logits();
        ByteBuffer b = ByteBuffer.allocate(logits.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : logits) {
            b.putFloat(f);
        }
        return new Run(r.tokens(), r.text(), TestCanister.sha256(b.array()));
    }
}
