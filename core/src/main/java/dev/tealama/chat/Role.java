package dev.tealama.chat;

/** Who wrote a message of a conversation. */
public enum Role {
    /** Instructions for the assistant, usually first. */
    SYSTEM("system"),
    /** The person talking to the model. */
    USER("user"),
    /** The model's replies. */
    ASSISTANT("assistant");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    /** The role as chat templates spell it: {@code system}, {@code user}, {@code assistant}. */
    public String label() {
        return label;
    }
}
