package dev.tealama.chat;

import dev.tealama.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a conversation with a chat template and tokenizes it so that special tokens come only from the template.
 *
 * <p>The rendered text holds special tokens as text ({@code <|start_header_id|>}, {@code <|eot_id|>}), so it is
 * tokenized with special-token parsing on. But then a user who types {@code <|eot_id|>} would end their own turn and
 * could forge the assistant's (llama.cpp's tools do exactly that). Here a message's content is always plain text:
 * the conversation is rendered a second time with the special tokens in every message masked
 * ({@link Tokenizer#maskSpecialTokens}, same UTF-8 length), and the tokenizer takes its special tokens from that
 * masked rendering only ({@link Tokenizer#encode(String, boolean, String)}). When no message holds a special
 * token's text, the tokens are exactly llama.cpp's.
 *
 * <p>Both hosts use it: the CLI's {@code run} and {@code chat}, and the canister's {@code session_start}.
 */
public final class ChatPromptEncoder {
    private final Tokenizer tokenizer;
    private final ChatTemplate template;

    public ChatPromptEncoder(Tokenizer tokenizer, ChatTemplate template) {
        this.tokenizer = tokenizer;
        this.template = template;
    }

    public ChatTemplate template() {
        return template;
    }

    /**
     * The tokens of the conversation: BOS if the model wants it, then the rendered conversation, special tokens only
     * where the template wrote them.
     *
     * @param addGenerationPrompt end with the header that introduces the assistant's reply
     */
    public int[] encode(List<ChatMessage> messages, boolean addGenerationPrompt) {
        String rendered = template.render(messages, addGenerationPrompt);
        List<ChatMessage> masked = new ArrayList<>(messages.size());
        boolean anyMasked = false;
        for (ChatMessage m : messages) {
            String content = tokenizer.maskSpecialTokens(m.content());
            anyMasked |= !content.equals(m.content());
            masked.add(new ChatMessage(m.role(), content));
        }
        if (!anyMasked) {
            return tokenizer.encode(rendered, true, true);
        }
        return tokenizer.encode(rendered, true, template.render(masked, addGenerationPrompt));
    }
}
