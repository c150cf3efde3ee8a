package dev.tealama.cli;

import dev.tealama.TealamaException;
import dev.tealama.chat.ChatMessage;
import dev.tealama.chat.ChatTemplate;
import dev.tealama.model.LlamaModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

/** How prompts become the text a model was trained on: the chat template and an optional system message. */
public final class ChatOptions {
    /** {@code --template auto}: the template the model's metadata asks for. */
    public static final String AUTO = "auto";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--template", paramLabel = "NAME",
            description = "Chat template: auto (from the model's metadata; plain if it has none), llama3, llama2 "
                    + "(also llama2-sys, llama2-sys-bos, llama2-sys-strip) or plain (no template: the text as it "
                    + "is). Default: ${DEFAULT-VALUE}.")
    private String template = AUTO;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message before the conversation.")
    private String system;

    /** Checks {@code --template}; a usage error lists the valid names. */
    public void validate() {
        if (!AUTO.equals(template) && !ChatTemplate.names().contains(template)) {
            throw new ParameterException(command.commandLine(), "unknown --template '" + template
                    + "'; valid names: " + AUTO + ", " + String.join(", ", ChatTemplate.names()));
        }
    }

    /** Whether {@code --template} names a template rather than {@code auto}. */
    public boolean isExplicit() {
        return !AUTO.equals(template);
    }

    /** The template to use for {@code model}. */
    public ChatTemplate template(LlamaModel model) {
        try {
            return isExplicit() ? ChatTemplate.named(template) : ChatTemplate.detect(model.chatTemplateSource());
        } catch (TealamaException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    /** The conversation's opening: the system message if one was given. */
    public List<ChatMessage> openingMessages() {
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        return messages;
    }
}
