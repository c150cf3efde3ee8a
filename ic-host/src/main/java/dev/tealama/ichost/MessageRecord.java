package dev.tealama.ichost;

/**
 * One entry of a canister's message log.
 *
 * @param sequence     the message's number, counting from 1 for the canister's first message
 * @param kind         install ({@link MessageKind#INIT}), upgrade ({@link MessageKind#POST_UPGRADE}), update,
 *                     query or inspect_message
 * @param method       the method name, or the entry point for install and upgrade
 * @param caller       who sent it
 * @param timeNanos    the IC time the message saw
 * @param argumentBytes size of its argument
 * @param result       how it ended
 */
public record MessageRecord(long sequence, MessageKind kind, String method, Principal caller, long timeNanos,
        int argumentBytes, CallResult result) {

    /** Whether the message ended with a reply (or, for install and upgrade, succeeded). */
    public boolean succeeded() {
        return result instanceof CallResult.Reply;
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + kind.mode() + " " + method + " from " + caller + ": " + result;
    }
}
