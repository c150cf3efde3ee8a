package dev.tealama.canister.api;

import dev.tealama.TealamaException;
import dev.tealama.canister.ic.Message;
import dev.tealama.canister.ic.candid.CandidException;
import dev.tealama.math.DetMath;
import org.teavm.interop.Export;

/**
 * The canister's entry points: the exports the IC calls ({@code canister_init}, {@code canister_update <method>},
 * ...). Each one catches everything and traps with a clear message: under TeaVM an exception escaping an export
 * does not trap — the call would end without a reply and its partial changes would be kept.
 */
public final class Canister {
    private static TealamaService service;

    private Canister() {
    }

    /** TeaVM needs a main method; the IC never calls it (setup happens in canister_init / canister_post_upgrade). */
    public static void main(String[] args) {
    }

    /** What an endpoint does with the message's argument: returns the reply. */
    private interface Endpoint {
        byte[] handle(byte[] argument);
    }

    private static void serve(String method, Endpoint endpoint) {
        try {
            if (service == null) {
                throw new IllegalStateException("the canister was not initialised");
            }
            Message.reply(endpoint.handle(Message.argument()));
        } catch (Throwable t) {
            fail(method, t);
        }
    }

    private static void fail(String method, Throwable t) {
        String message;
        if (t instanceof TealamaException) {
            message = t.getMessage();
        } else if (t instanceof CandidException) {
            message = "bad argument: " + t.getMessage();
        } else {
            message = "internal error: " + t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        Message.trap(method + ": " + message);
    }

    @Export(name = "canister_init")
    public static void init() {
        try {
            service = TealamaService.install(Message.argument());
        } catch (Throwable t) {
            fail("install", t);
        }
    }

    @Export(name = "canister_pre_upgrade")
    public static void preUpgrade() {
        // Nothing to save: stable memory already holds the upload (its header is written as chunks arrive) and the
        // configuration. Sessions are not kept.
    }

    @Export(name = "canister_post_upgrade")
    public static void postUpgrade() {
        try {
            service = TealamaService.upgraded(Message.argument());
        } catch (Throwable t) {
            fail("upgrade", t);
        }
    }

    @Export(name = "canister_update upload_begin")
    public static void uploadBegin() {
        serve("upload_begin", a -> service.uploadBegin(a));
    }

    @Export(name = "canister_update upload_chunk")
    public static void uploadChunk() {
        serve("upload_chunk", a -> service.uploadChunk(a));
    }

    @Export(name = "canister_query upload_status")
    public static void uploadStatus() {
        serve("upload_status", a -> service.uploadStatus(a));
    }

    @Export(name = "canister_update upload_abort")
    public static void uploadAbort() {
        serve("upload_abort", a -> service.uploadAbort(a));
    }

    @Export(name = "canister_update load")
    public static void load() {
        serve("load", a -> service.load(a));
    }

    @Export(name = "canister_query model_info")
    public static void modelInfo() {
        serve("model_info", a -> service.modelInfo(a));
    }

    @Export(name = "canister_update configure")
    public static void configure() {
        serve("configure", a -> service.configure(a));
    }

    @Export(name = "canister_update session_start")
    public static void sessionStart() {
        serve("session_start", a -> service.sessionStart(a));
    }

    @Export(name = "canister_update session_step")
    public static void sessionStep() {
        serve("session_step", a -> service.sessionStep(a));
    }

    @Export(name = "canister_query session_status")
    public static void sessionStatus() {
        serve("session_status", a -> service.sessionStatus(a));
    }

    @Export(name = "canister_update session_cancel")
    public static void sessionCancel() {
        serve("session_cancel", a -> service.sessionCancel(a));
    }

    @Export(name = "canister_query session_logits_sha256")
    public static void sessionLogitsSha256() {
        serve("session_logits_sha256", a -> service.sessionLogitsSha256(a));
    }

    // java.lang.Math's exp, log, sin and cos, for the teavmMath shim (src/main/wat/teavm-math.wat): the same
    // deterministic fdlibm ports core uses. The build strips these exports once the shim is linked to them.

    @Export(name = "detmath_exp")
    public static double exp(double x) {
        return DetMath.exp(x);
    }

    @Export(name = "detmath_log")
    public static double log(double x) {
        return DetMath.log(x);
    }

    @Export(name = "detmath_sin")
    public static double sin(double x) {
        return DetMath.sin(x);
    }

    @Export(name = "detmath_cos")
    public static double cos(double x) {
        return DetMath.cos(x);
    }
}
