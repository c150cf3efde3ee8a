package dev.tealama.chat;

import java.util.List;

/**
 * Llama 3 (and 3.1, 3.2, 3.3) instruct format, as llama.cpp's built-in {@code llama3} template writes it:
 *
 * <pre>
 * &lt;|start_header_id|&gt;system&lt;|end_header_id|&gt;\n\nYou are a helpful assistant&lt;|eot_id|&gt;
 * &lt;|start_header_id|&gt;user&lt;|end_header_id|&gt;\n\nHello&lt;|eot_id|&gt;
 * &lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n      (the generation prompt)
 * </pre>
 *
 * (shown on several lines; the text has no line breaks between messages). Message contents are trimmed of
 * leading and trailing whitespace, as the Jinja template's {@code | trim} does.
 */
public final class Llama3Template implements ChatTemplate {
    static final String NAME = "llama3";
    static final Llama3Template INSTANCE = new Llama3Template();

    private static final String HEADER_START = "<|start_header_id|>";
    private static final String HEADER_END = "<|end_header_id|>\n\n";
    private static final String END_OF_TURN = "<|eot_id|>";

    private Llama3Template() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder prompt = new StringBuilder();
        for (ChatMessage message : messages) {
            prompt.append(HEADER_START).append(message.role().label()).append(HEADER_END)
                    .append(CWhitespace.trim(message.content())).append(END_OF_TURN);
        }
        if (addGenerationPrompt) {
            prompt.append(HEADER_START).append(Role.ASSISTANT.label()).append(HEADER_END);
        }
        return prompt.toString();
    }

    @Override
    public String toString() {
        return NAME;
    }
}
