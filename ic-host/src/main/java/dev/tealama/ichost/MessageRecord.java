package dev.tealama.ichost;

/**
 * One entry of a canister's message log. The log keeps sizes, not the bytes of arguments and replies, so that it
 * stays small however large the messages are.
 *
 * @param sequence      the message's number, counting from 1 for the canister's first message
 * @param kind          install ({@link MessageKind#INIT}), upgrade ({@link MessageKind#POST_UPGRADE}), update or
 *                      query
 * @param method        the method name, or the entry point for install and upgrade
 * @param caller        who sent it
 * @param timeNanos     the IC time the message saw
 * @param argumentBytes size of its argument
 * @param replyBytes    size of its reply (0 for a reject)
 * @param reject        the reject, or null if the message succeeded
 * @param instructions  the instructions it executed
 */
public record MessageRecord(long sequence, MessageKind kind, String method, Principal caller, long timeNanos,
        int argumentBytes, int replyBytes, CallResult.Reject reject, long instructions) {

    static MessageRecord of(long sequence, MessageKind kind, String method, Principal caller, long timeNanos,
            int argumentBytes, CallResult result) {
        if (result instanceof CallResult.Reply) {
            return new MessageRecord(sequence, kind, method, caller, timeNanos, argumentBytes,
                    ((CallResult.Reply) result).size(), null, result.instructions());
        }
        return new MessageRecord(sequence, kind, method, caller, timeNanos, argumentBytes, 0,
                (CallResult.Reject) result, result.instructions());
    }

    /** Whether the message ended with a reply (or, for install and upgrade, succeeded). */
    public boolean succeeded() {
        return reject == null;
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + kind.mode() + " " + method + " from " + caller + ": "
                + (reject == null ? "reply of " + replyBytes + " bytes" : reject.error().text() + " " + reject.message())
                + ", " + instructions + " instructions";
    }
}
