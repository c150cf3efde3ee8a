package dev.tealama.chat;

import java.util.List;

/**
 * Llama 2 chat format ({@code [INST] ... [/INST]}) and the variants llama.cpp tells apart, as its built-in
 * {@code llama2*} templates write them:
 *
 * <pre>
 * [INST] &lt;&lt;SYS&gt;&gt;\nYou are a helpful assistant\n&lt;&lt;/SYS&gt;&gt;\n\nHello [/INST]Hi there&lt;/s&gt;[INST] Who are you [/INST]
 * </pre>
 *
 * <ul>
 *   <li>{@code llama2}: no system prompt block; a system message's text is written followed by a line break.</li>
 *   <li>{@code llama2-sys}: system messages in a {@code <<SYS>>} block.</li>
 *   <li>{@code llama2-sys-bos}: as {@code llama2-sys}, and every turn after the first starts with {@code <s>}
 *       (BOS) before {@code [INST]}.</li>
 *   <li>{@code llama2-sys-strip}: as {@code llama2-sys}, with message contents trimmed of surrounding
 *       whitespace.</li>
 * </ul>
 *
 * The user's turn ends with {@code [/INST]}, which is where the assistant's reply starts: this format has no
 * separate assistant header, so {@code addGenerationPrompt} changes nothing (as in llama.cpp). The first
 * {@code <s>} is not written: the tokenizer adds BOS.
 */
public final class Llama2Template implements ChatTemplate {

    /** The variants, named as llama.cpp names them. */
    public enum Variant {
        LLAMA2("llama2", false, false, false),
        LLAMA2_SYS("llama2-sys", true, false, false),
        LLAMA2_SYS_BOS("llama2-sys-bos", true, true, false),
        LLAMA2_SYS_STRIP("llama2-sys-strip", true, false, true);

        private final String templateName;
        private final boolean systemBlock;
        private final boolean bosBeforeLaterTurns;
        private final boolean trimContent;

        Variant(String templateName, boolean systemBlock, boolean bosBeforeLaterTurns, boolean trimContent) {
            this.templateName = templateName;
            this.systemBlock = systemBlock;
            this.bosBeforeLaterTurns = bosBeforeLaterTurns;
            this.trimContent = trimContent;
        }

        public String templateName() {
            return templateName;
        }
    }

    private static final Llama2Template[] BY_VARIANT = new Llama2Template[Variant.values().length];

    static {
        for (Variant variant : Variant.values()) {
            BY_VARIANT[variant.ordinal()] = new Llama2Template(variant);
        }
    }

    private final Variant variant;

    private Llama2Template(Variant variant) {
        this.variant = variant;
    }

    static Llama2Template of(Variant variant) {
        return BY_VARIANT[variant.ordinal()];
    }

    public Variant variant() {
        return variant;
    }

    @Override
    public String name() {
        return variant.templateName;
    }

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder prompt = new StringBuilder("[INST] ");
        // A turn is one [INST] ... [/INST] reply</s> exchange; the first one is already open.
        boolean insideTurn = true;
        for (ChatMessage message : messages) {
            String content = variant.trimContent ? CWhitespace.trim(message.content()) : message.content();
            if (!insideTurn) {
                insideTurn = true;
                prompt.append(variant.bosBeforeLaterTurns ? "<s>[INST] " : "[INST] ");
            }
            switch (message.role()) {
                case SYSTEM:
                    if (variant.systemBlock) {
                        prompt.append("<<SYS>>\n").append(content).append("\n<</SYS>>\n\n");
                    } else {
                        prompt.append(content).append('\n');
                    }
                    break;
                case USER:
                    prompt.append(content).append(" [/INST]");
                    break;
                case ASSISTANT:
                    prompt.append(content).append("</s>");
                    insideTurn = false;
                    break;
                default:
                    throw new IllegalStateException("unhandled role " + message.role());
            }
        }
        return prompt.toString();
    }

    @Override
    public String toString() {
        return name();
    }
}
