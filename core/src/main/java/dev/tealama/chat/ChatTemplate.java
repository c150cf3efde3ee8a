package dev.tealama.chat;

import dev.tealama.TealamaException;
import java.util.List;

/**
 * Turns a conversation into the prompt text a model was trained on, like llama.cpp's built-in (non-Jinja) chat
 * templates ({@code llm_chat_apply_template} in llama.cpp's {@code src/llama-chat.cpp}).
 *
 * <p>The rendered text contains the texts of special tokens (for example {@code <|start_header_id|>} or
 * {@code </s>}); the tokenizer turns them into their ids when it parses special tokens. The text never starts
 * with BOS: the tokenizer adds it.
 *
 * <p>A chat session re-renders the whole conversation each turn and feeds the model only what follows the tokens
 * already in its cache. That works because rendering is append-only: {@code render(messages[0..k], false)} is a
 * prefix of {@code render(messages[0..k+1], false)}; and when message {@code k} is the assistant's reply,
 * {@code render(messages[0..k], true)} is a prefix of {@code render(messages[0..k+1], ...)} too. (Templates that
 * trim whitespace may still render the model's reply differently from the tokens it generated; the session
 * compares tokens, not text.)
 */
public sealed interface ChatTemplate permits Llama3Template, Llama2Template, PlainTemplate {

    /** The template's name, as {@link #named} accepts it: {@code llama3}, {@code llama2}, ..., {@code plain}. */
    String name();

    /**
     * The prompt text for the whole conversation; BOS is not included (the tokenizer adds it).
     *
     * @param messages            the conversation so far, oldest first
     * @param addGenerationPrompt end with what introduces the assistant's reply (the assistant header), so that
     *                            the model writes the reply next; templates without such a header ignore it
     */
    String render(List<ChatMessage> messages, boolean addGenerationPrompt);

    /** Every name {@link #named} accepts, in the order error messages list them. */
    static List<String> names() {
        return List.of(PlainTemplate.NAME, Llama3Template.NAME, Llama2Template.Variant.LLAMA2.templateName(),
                Llama2Template.Variant.LLAMA2_SYS.templateName(), Llama2Template.Variant.LLAMA2_SYS_BOS.templateName(),
                Llama2Template.Variant.LLAMA2_SYS_STRIP.templateName());
    }

    /**
     * The template with this name (llama.cpp's names for its built-in templates, plus {@code plain}).
     *
     * @throws TealamaException if no template has that name; the message lists the valid names
     */
    static ChatTemplate named(String name) {
        ChatTemplate template = name == null ? null : knownOrNull(name);
        if (template == null) {
            throw new TealamaException("unknown chat template '" + name + "'; valid names: "
                    + String.join(", ", names()));
        }
        return template;
    }

    /**
     * The template a model's {@code tokenizer.chat_template} (a Jinja template) asks for, recognised the way
     * llama.cpp's {@code llm_chat_detect_template} does: by the marker strings it contains, in llama.cpp's order.
     * A template llama.cpp would recognise as another format (ChatML, Gemma, Mistral v7, ...), an unknown
     * template and {@code null} (the model has none) give {@code plain}.
     */
    static ChatTemplate detect(String jinjaTemplateOrNull) {
        if (jinjaTemplateOrNull == null) {
            return PlainTemplate.INSTANCE;
        }
        String format = TemplateDetector.llamaCppFormat(jinjaTemplateOrNull);
        ChatTemplate template = format == null ? null : knownOrNull(format);
        return template == null ? PlainTemplate.INSTANCE : template;
    }

    private static ChatTemplate knownOrNull(String name) {
        if (name.equals(PlainTemplate.NAME)) {
            return PlainTemplate.INSTANCE;
        }
        if (name.equals(Llama3Template.NAME)) {
            return Llama3Template.INSTANCE;
        }
        for (Llama2Template.Variant variant : Llama2Template.Variant.values()) {
            if (variant.templateName().equals(name)) {
                return Llama2Template.of(variant);
            }
        }
        return null;
    }
}
