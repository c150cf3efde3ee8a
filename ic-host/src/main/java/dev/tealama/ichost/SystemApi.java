package dev.tealama.ichost;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ic0} functions this host provides, with the types and the behaviour of the IC interface
 * specification's System API: argument, caller and method name of the current message, replies and rejects,
 * {@code accept_message}, {@code trap}, {@code debug_print}, {@code performance_counter}, {@code is_controller},
 * {@code time}, the canister's own id, 64-bit stable memory and the reject code and message of a callback (there are
 * no inter-canister calls here, so those two always trap as the specification says outside a reject callback).
 *
 * <p>Each function checks where it is called from ({@link MessageKind}) and traps with a contract violation where
 * the specification does not allow it, and checks its memory ranges, trapping rather than reading or writing out of
 * bounds.
 */
final class SystemApi {

    private static final ValType I32 = ValType.I32;
    private static final ValType I64 = ValType.I64;

    /** The types of the System API functions this host implements, by name. */
    static final Map<String, FunctionType> SIGNATURES = signatures();

    private static Map<String, FunctionType> signatures() {
        Map<String, FunctionType> map = new LinkedHashMap<>();
        map.put("msg_arg_data_size", type(List.of(), List.of(I32)));
        map.put("msg_arg_data_copy", type(List.of(I32, I32, I32), List.of()));
        map.put("msg_caller_size", type(List.of(), List.of(I32)));
        map.put("msg_caller_copy", type(List.of(I32, I32, I32), List.of()));
        map.put("msg_reject_code", type(List.of(), List.of(I32)));
        map.put("msg_reject_msg_size", type(List.of(), List.of(I32)));
        map.put("msg_reject_msg_copy", type(List.of(I32, I32, I32), List.of()));
        map.put("msg_reply_data_append", type(List.of(I32, I32), List.of()));
        map.put("msg_reply", type(List.of(), List.of()));
        map.put("msg_reject", type(List.of(I32, I32), List.of()));
        map.put("msg_method_name_size", type(List.of(), List.of(I32)));
        map.put("msg_method_name_copy", type(List.of(I32, I32, I32), List.of()));
        map.put("accept_message", type(List.of(), List.of()));
        map.put("canister_self_size", type(List.of(), List.of(I32)));
        map.put("canister_self_copy", type(List.of(I32, I32, I32), List.of()));
        map.put("debug_print", type(List.of(I32, I32), List.of()));
        map.put("trap", type(List.of(I32, I32), List.of()));
        map.put("performance_counter", type(List.of(I32), List.of(I64)));
        map.put("is_controller", type(List.of(I32, I32), List.of(I32)));
        map.put("time", type(List.of(), List.of(I64)));
        map.put("stable64_size", type(List.of(), List.of(I64)));
        map.put("stable64_grow", type(List.of(I64), List.of(I64)));
        map.put("stable64_read", type(List.of(I64, I64, I64), List.of()));
        map.put("stable64_write", type(List.of(I64, I64, I64), List.of()));
        return java.util.Collections.unmodifiableMap(map);
    }

    private static FunctionType type(List<ValType> params, List<ValType> returns) {
        return FunctionType.of(params, returns);
    }

    /** What the System API needs from the canister that runs it. */
    interface Host {
        /** The message running now. */
        Execution current();

        StableMemory stableMemory();

        boolean isController(Principal principal);

        Principal canisterId();

        void debugPrint(String text);
    }

    private final Host host;

    SystemApi(Host host) {
        this.host = host;
    }

    /** The host functions for the imports of {@code module}: exactly those it imports (all checked valid). */
    ImportValues importsFor(com.dylibso.chicory.wasm.WasmModule module) {
        List<com.dylibso.chicory.runtime.ImportFunction> functions = new ArrayList<>();
        boolean simd = false;
        for (int i = 0; i < module.importSection().importCount(); i++) {
            if (module.importSection().getImport(i).module().equals(SimdOps.MODULE)) {
                simd = true; // added by SimdLowering, not the canister's
                continue;
            }
            String name = module.importSection().getImport(i).name();
            functions.add(new HostFunction("ic0", name, SIGNATURES.get(name), handle(name)));
        }
        if (simd) {
            functions.addAll(SimdOps.hostFunctions());
        }
        return ImportValues.builder().withFunctions(functions).build();
    }

    private WasmFunctionHandle handle(String name) {
        switch (name) {
            case "msg_arg_data_size":
                return (instance, args) -> i32(argument("msg_arg_data_size").length);
            case "msg_arg_data_copy":
                return (instance, args) -> copyOut(instance, "msg_arg_data_copy", argument("msg_arg_data_copy"), args);
            case "msg_caller_size":
                return (instance, args) -> i32(caller("msg_caller_size").length);
            case "msg_caller_copy":
                return (instance, args) -> copyOut(instance, "msg_caller_copy", caller("msg_caller_copy"), args);
            case "msg_reject_code":
            case "msg_reject_msg_size":
            case "msg_reject_msg_copy":
                return (instance, args) -> {
                    throw violation(name, "is only available in a reject callback, and this host makes no"
                            + " inter-canister calls");
                };
            case "msg_reply_data_append":
                return (instance, args) -> replyDataAppend(instance, args);
            case "msg_reply":
                return (instance, args) -> reply();
            case "msg_reject":
                return (instance, args) -> reject(instance, args);
            case "msg_method_name_size":
                return (instance, args) -> i32(methodName("msg_method_name_size").length);
            case "msg_method_name_copy":
                return (instance, args) ->
                        copyOut(instance, "msg_method_name_copy", methodName("msg_method_name_copy"), args);
            case "accept_message":
                return (instance, args) -> acceptMessage();
            case "canister_self_size":
                return (instance, args) -> i32(canisterSelf("canister_self_size").length);
            case "canister_self_copy":
                return (instance, args) -> copyOut(instance, "canister_self_copy", canisterSelf("canister_self_copy"),
                        args);
            case "debug_print":
                return (instance, args) -> debugPrint(instance, args);
            case "trap":
                return (instance, args) -> trap(instance, args);
            case "performance_counter":
                return (instance, args) -> performanceCounter(instance, (int) args[0]);
            case "is_controller":
                return (instance, args) -> isController(instance, args);
            case "time":
                return (instance, args) -> {
                    Execution execution = allowedEverywhereButStart("time");
                    return new long[] {execution.time};
                };
            case "stable64_size":
                return (instance, args) -> new long[] {host.stableMemory().sizePages()};
            case "stable64_grow":
                return (instance, args) -> new long[] {host.stableMemory().grow(args[0])};
            case "stable64_read":
                return (instance, args) -> stableRead(instance, args[0], args[1], args[2]);
            case "stable64_write":
                return (instance, args) -> stableWrite(instance, args[0], args[1], args[2]);
            default:
                throw new IllegalArgumentException("No System API function " + name);
        }
    }

    // ---- message data ----

    private byte[] argument(String function) {
        Execution execution = host.current();
        if (!execution.kind.hasArgument()) {
            throw notIn(function, execution);
        }
        return execution.argument;
    }

    private byte[] caller(String function) {
        return allowedEverywhereButStart(function).caller.toBytes();
    }

    private byte[] methodName(String function) {
        Execution execution = host.current();
        if (execution.kind != MessageKind.INSPECT_MESSAGE) {
            throw notIn(function, execution);
        }
        return execution.method.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] canisterSelf(String function) {
        allowedEverywhereButStart(function);
        return host.canisterId().toBytes();
    }

    private Execution allowedEverywhereButStart(String function) {
        Execution execution = host.current();
        if (execution.kind == MessageKind.START) {
            throw notIn(function, execution);
        }
        return execution;
    }

    private long[] copyOut(Instance instance, String function, byte[] source, long[] args) {
        long dst = unsigned(args[0]);
        long offset = unsigned(args[1]);
        long size = unsigned(args[2]);
        if (offset + size > source.length) {
            throw violation(function, "src range [" + offset + ", " + (offset + size) + ") is out of bounds of the "
                    + source.length + " bytes available");
        }
        checkMemoryRange(instance, function, dst, size);
        instance.memory().write((int) dst, source, (int) offset, (int) size);
        return null;
    }

    // ---- replies ----

    private long[] replyDataAppend(Instance instance, long[] args) {
        Execution execution = replying("msg_reply_data_append");
        long src = unsigned(args[0]);
        long size = unsigned(args[1]);
        checkMemoryRange(instance, "msg_reply_data_append", src, size);
        if (execution.reply.size() + size > execution.maxReplyBytes) {
            throw violation("msg_reply_data_append", "application payload size (" + (execution.reply.size() + size)
                    + ") cannot be larger than " + execution.maxReplyBytes);
        }
        execution.reply.writeBytes(instance.memory().readBytes((int) src, (int) size));
        return null;
    }

    private long[] reply() {
        replying("msg_reply").response = Execution.Response.REPLIED;
        return null;
    }

    private long[] reject(Instance instance, long[] args) {
        Execution execution = replying("msg_reject");
        long src = unsigned(args[0]);
        long size = unsigned(args[1]);
        checkMemoryRange(instance, "msg_reject", src, size);
        byte[] bytes = instance.memory().readBytes((int) src, (int) size);
        try {
            execution.rejectMessage = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw violation("msg_reject", "the reject message is not valid UTF-8");
        }
        execution.response = Execution.Response.REJECTED;
        return null;
    }

    private Execution replying(String function) {
        Execution execution = host.current();
        if (!execution.kind.mayReply()) {
            throw notIn(function, execution);
        }
        if (execution.response != Execution.Response.NONE) {
            throw violation(function, "the message has already been replied to or rejected");
        }
        return execution;
    }

    private long[] acceptMessage() {
        Execution execution = host.current();
        if (execution.kind != MessageKind.INSPECT_MESSAGE) {
            throw notIn("accept_message", execution);
        }
        if (execution.accepted) {
            throw violation("accept_message", "the message has already been accepted");
        }
        execution.accepted = true;
        return null;
    }

    // ---- debugging and traps ----

    private long[] debugPrint(Instance instance, long[] args) {
        long src = unsigned(args[0]);
        long size = unsigned(args[1]);
        checkMemoryRange(instance, "debug_print", src, size);
        host.debugPrint(new String(instance.memory().readBytes((int) src, (int) size), StandardCharsets.UTF_8));
        return null;
    }

    private long[] trap(Instance instance, long[] args) {
        long src = unsigned(args[0]);
        long size = unsigned(args[1]);
        checkMemoryRange(instance, "trap", src, size);
        String message = new String(instance.memory().readBytes((int) src, (int) size), StandardCharsets.UTF_8);
        throw new CanisterTrap(ErrorCode.CANISTER_CALLED_TRAP,
                "Canister called `ic0.trap` with message: '" + message + "'");
    }

    private long[] performanceCounter(Instance instance, int type) {
        Execution execution = host.current();
        if (type != 0 && type != 1) {
            throw violation("performance_counter", "unknown counter type " + type);
        }
        // 0: instructions of this message; 1: of the call context, the same here (no inter-canister calls).
        return new long[] {execution.instructionsSoFar(instance)};
    }

    private long[] isController(Instance instance, long[] args) {
        allowedEverywhereButStart("is_controller");
        long src = unsigned(args[0]);
        long size = unsigned(args[1]);
        if (size > Principal.MAX_LENGTH) {
            throw violation("is_controller", "the principal has " + size + " bytes, more than "
                    + Principal.MAX_LENGTH);
        }
        checkMemoryRange(instance, "is_controller", src, size);
        Principal principal = Principal.of(instance.memory().readBytes((int) src, (int) size));
        return i32(host.isController(principal) ? 1 : 0);
    }

    // ---- stable memory ----

    private long[] stableRead(Instance instance, long dst, long offset, long size) {
        checkMemoryRange(instance, "stable64_read", dst, size);
        byte[] data = host.stableMemory().read(offset, (int) size);
        instance.memory().write((int) dst, data, 0, data.length);
        return null;
    }

    private long[] stableWrite(Instance instance, long offset, long src, long size) {
        checkMemoryRange(instance, "stable64_write", src, size);
        host.stableMemory().write(offset, instance.memory().readBytes((int) src, (int) size));
        return null;
    }

    // ---- helpers ----

    private static void checkMemoryRange(Instance instance, String function, long start, long size) {
        Memory memory = instance.memory();
        long limit = (long) memory.pages() * Memory.PAGE_SIZE;
        if (start < 0 || size < 0 || start > limit || size > limit - start) {
            throw new CanisterTrap(ErrorCode.CANISTER_TRAPPED, "Heap out of bounds: ic0." + function
                    + " accesses [" + Long.toUnsignedString(start) + ", +" + Long.toUnsignedString(size)
                    + ") outside the Wasm memory of " + limit + " bytes");
        }
    }

    private static long unsigned(long i32) {
        return i32 & 0xFFFF_FFFFL;
    }

    private static long[] i32(int value) {
        return new long[] {value};
    }

    private static CanisterTrap notIn(String function, Execution execution) {
        return violation(function, "cannot be executed in " + execution.kind.mode() + " mode");
    }

    private static CanisterTrap violation(String function, String what) {
        return new CanisterTrap(ErrorCode.CANISTER_CONTRACT_VIOLATION,
                "Canister violated contract: \"ic0_" + function + "\" " + what);
    }
}
