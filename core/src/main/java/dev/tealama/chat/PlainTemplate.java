package dev.tealama.chat;

import java.util.List;

/**
 * Plain completion: no chat format at all, for base models and for {@code run -p "Once upon a time"}.
 *
 * <p>The conversation is one running text. User and assistant messages are written exactly as they are, one
 * after the other, with nothing between them: the assistant's reply is the model's continuation of the text,
 * and what the user writes next continues the text again (a user who wants a space or a line break between
 * them includes it). A single user message therefore renders as exactly its text. A system message is written
 * followed by a blank line ({@code "\n\n"}), so it stands as a preamble before the text that follows.
 * {@code addGenerationPrompt} changes nothing: the model simply continues.
 */
public final class PlainTemplate implements ChatTemplate {
    static final String NAME = "plain";
    static final PlainTemplate INSTANCE = new PlainTemplate();

    private PlainTemplate() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder text = new StringBuilder();
        for (ChatMessage message : messages) {
            text.append(message.content());
            if (message.role() == Role.SYSTEM) {
                text.append("\n\n");
            }
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return NAME;
    }
}
