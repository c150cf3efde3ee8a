package dev.tealama.ichost;

import com.dylibso.chicory.runtime.Instance;
import java.io.ByteArrayOutputStream;

/** The state of the message running now: what the System API reads and what the message produced. */
final class Execution {

    enum Response { NONE, REPLIED, REJECTED }

    final MessageKind kind;
    final String method;
    final Principal caller;
    final byte[] argument;
    final long time;
    /** The instruction limit of the whole message (all its parts, for install and upgrade). */
    final long instructionLimit;
    final int maxReplyBytes;
    /** The running module, which knows where its instruction counter is. */
    final CanisterModule module;

    final ByteArrayOutputStream reply = new ByteArrayOutputStream();
    Response response = Response.NONE;
    String rejectMessage;
    boolean accepted;

    Execution(MessageKind kind, String method, Principal caller, byte[] argument, long time, long instructionLimit,
            int maxReplyBytes, CanisterModule module) {
        this.kind = kind;
        this.method = method;
        this.caller = caller;
        this.argument = argument;
        this.time = time;
        this.instructionLimit = instructionLimit;
        this.maxReplyBytes = maxReplyBytes;
        this.module = module;
    }

    /** The instructions this message executed so far: its limit less what the counter says is left. */
    long instructionsSoFar(Instance instance) {
        return instructionLimit - module.remaining(instance);
    }
}
