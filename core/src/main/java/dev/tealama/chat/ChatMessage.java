package dev.tealama.chat;

import dev.tealama.TealamaException;

/**
 * One message of a conversation.
 *
 * @param role    who wrote it
 * @param content its text, exactly as written (templates decide whether to trim it)
 */
public record ChatMessage(Role role, String content) {

    public ChatMessage {
        if (role == null) {
            throw new TealamaException("a chat message needs a role (system, user or assistant)");
        }
        if (content == null) {
            throw new TealamaException("the content of a " + role.label() + " chat message is missing");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }
}
