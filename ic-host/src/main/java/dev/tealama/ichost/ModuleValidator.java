package dev.tealama.ichost;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.OpCode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks a module against the rules the IC applies when code is installed (the interface specification's "Canister
 * module format" and the replica's Wasm validation limits), so that a module this host accepts is one the IC would
 * accept too:
 * <ul>
 *   <li>at most 100 MiB, and valid Wasm (Chicory's parser and validator);</li>
 *   <li>imports: only functions of module {@code ic0}, each with the exact type of the System API (and one this
 *       host implements, see {@link SystemApi#SIGNATURES}); no imported memory, table or global;</li>
 *   <li>at most one memory, not shared (threads are off on the IC); no exception tags;</li>
 *   <li>only the Wasm features the IC enables: no GC, function references, tail calls, exception handling or
 *       atomics (bulk memory, reference types, multi-value, non-trapping float-to-int, sign extension and 128-bit
 *       SIMD are allowed);</li>
 *   <li>exports named {@code canister_...} are functions of type {@code () -> ()}, and only
 *       {@code canister_init}, {@code canister_pre_upgrade}, {@code canister_post_upgrade},
 *       {@code canister_inspect_message}, {@code canister_heartbeat}, {@code canister_global_timer},
 *       {@code canister_on_low_wasm_memory}, {@code canister_update <name>}, {@code canister_query <name>} and
 *       {@code canister_composite_query <name>}; a method name is exported at most once over the last three;</li>
 *   <li>at most 1,000 update/query methods whose names add up to at most 20,000 bytes;</li>
 *   <li>at most 50,000 functions, 1,000 globals, 1,000,000 instructions per function, a code section of at most
 *       10 MiB;</li>
 *   <li>custom sections named {@code icp:...} are {@code icp:public <name>} or {@code icp:private <name>}, at most
 *       16 of them, 1 MiB together, no name twice.</li>
 * </ul>
 */
final class ModuleValidator {

    static final int MAX_MODULE_BYTES = 100 * 1024 * 1024;
    static final int MAX_FUNCTIONS = 50_000;
    static final int MAX_GLOBALS = 1_000;
    static final int MAX_INSTRUCTIONS_PER_FUNCTION = 1_000_000;
    static final int MAX_CODE_SECTION_BYTES = 10 * 1024 * 1024;
    static final int MAX_EXPORTED_METHODS = 1_000;
    static final int MAX_EXPORTED_NAME_BYTES = 20_000;
    static final int MAX_ICP_SECTIONS = 16;
    static final int MAX_ICP_SECTION_BYTES = 1024 * 1024;

    private static final Set<String> SYSTEM_EXPORTS = Set.of("canister_init", "canister_pre_upgrade",
            "canister_post_upgrade", "canister_inspect_message", "canister_heartbeat", "canister_global_timer",
            "canister_on_low_wasm_memory");
    private static final String[] METHOD_PREFIXES = {"canister_update ", "canister_query ",
        "canister_composite_query "};

    private ModuleValidator() {
    }

    /** Parses and checks a module; an {@link InvalidModuleException} says what is wrong. */
    static WasmModule validate(byte[] wasm) {
        if (wasm.length > MAX_MODULE_BYTES) {
            throw new InvalidModuleException("The module has " + wasm.length + " bytes, more than the IC's "
                    + MAX_MODULE_BYTES + " (100 MiB)");
        }
        if (wasm.length >= 2 && (wasm[0] & 0xFF) == 0x1F && (wasm[1] & 0xFF) == 0x8B) {
            throw new InvalidModuleException("The module is gzip-compressed; give this host the uncompressed .wasm");
        }
        WasmModule module;
        try {
            module = Parser.parse(wasm);
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new InvalidModuleException("Not a valid Wasm module: " + e.getMessage());
        }
        checkImports(module);
        checkMemoriesAndTags(module);
        checkExports(module);
        checkSizes(module, wasm);
        checkInstructions(module);
        checkCustomSections(wasm);
        return module;
    }

    private static void checkImports(WasmModule module) {
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imported = module.importSection().getImport(i);
            String name = imported.module() + "." + imported.name();
            if (imported.importType() != ExternalType.FUNCTION) {
                throw new InvalidModuleException("The module imports " + name + ", a "
                        + imported.importType().name().toLowerCase(java.util.Locale.ROOT)
                        + "; a canister may import only ic0 functions");
            }
            if (!imported.module().equals("ic0")) {
                throw new InvalidModuleException("The module imports " + name
                        + "; a canister may import only functions of module ic0 (the System API)");
            }
            FunctionType expected = SystemApi.SIGNATURES.get(imported.name());
            if (expected == null) {
                throw new InvalidModuleException("The module imports " + name
                        + ", which is not one of the System API functions this host provides: "
                        + String.join(", ", new java.util.TreeSet<>(SystemApi.SIGNATURES.keySet())));
            }
            FunctionType actual = module.typeSection().getType(((FunctionImport) imported).typeIndex());
            if (!actual.equals(expected)) {
                throw new InvalidModuleException("The module imports " + name + " with type " + describe(actual)
                        + ", but the System API declares it " + describe(expected));
            }
        }
    }

    private static void checkMemoriesAndTags(WasmModule module) {
        int memories = module.memorySection().map(m -> m.memoryCount()).orElse(0);
        if (memories > 1) {
            throw new InvalidModuleException("The module declares " + memories
                    + " memories; the IC allows at most one (multi-memory is off)");
        }
        if (memories == 1 && module.memorySection().get().getMemory(0).limits().shared()) {
            throw new InvalidModuleException("The module's memory is shared; threads are off on the IC");
        }
        if (module.tagSection().map(t -> t.tagCount() > 0).orElse(false)) {
            throw new InvalidModuleException("The module declares exception tags; exception handling is off on the IC");
        }
    }

    private static void checkExports(WasmModule module) {
        Set<String> methods = new HashSet<>();
        int methodNameBytes = 0;
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export export = module.exportSection().getExport(i);
            String name = export.name();
            if (!name.startsWith("canister_")) {
                continue;
            }
            String method = methodName(name);
            if (method == null && !SYSTEM_EXPORTS.contains(name)) {
                throw new InvalidModuleException("The module exports '" + name
                        + "': names starting with canister_ are reserved for the IC's entry points");
            }
            if (export.exportType() != ExternalType.FUNCTION) {
                throw new InvalidModuleException("The module exports '" + name + "' as a "
                        + export.exportType().name().toLowerCase(java.util.Locale.ROOT) + "; it must be a function");
            }
            FunctionType type = functionType(module, export.index());
            if (!type.params().isEmpty() || !type.returns().isEmpty()) {
                throw new InvalidModuleException("The module exports '" + name + "' with type " + describe(type)
                        + "; entry points must be () -> ()");
            }
            if (method != null) {
                if (!methods.add(method)) {
                    throw new InvalidModuleException("The module exports method '" + method
                            + "' more than once (as update, query or composite query)");
                }
                methodNameBytes += method.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
        }
        if (methods.size() > MAX_EXPORTED_METHODS) {
            throw new InvalidModuleException("The module exports " + methods.size()
                    + " methods; the IC allows at most " + MAX_EXPORTED_METHODS);
        }
        if (methodNameBytes > MAX_EXPORTED_NAME_BYTES) {
            throw new InvalidModuleException("The module's method names add up to " + methodNameBytes
                    + " bytes; the IC allows at most " + MAX_EXPORTED_NAME_BYTES);
        }
    }

    /** The method name of an update, query or composite query export, or null. */
    static String methodName(String exportName) {
        for (String prefix : METHOD_PREFIXES) {
            if (exportName.startsWith(prefix)) {
                return exportName.substring(prefix.length());
            }
        }
        return null;
    }

    private static void checkSizes(WasmModule module, byte[] wasm) {
        int functions = module.functionSection().functionCount() + module.importSection().count(ExternalType.FUNCTION);
        if (functions > MAX_FUNCTIONS) {
            throw new InvalidModuleException("The module has " + functions + " functions; the IC allows at most "
                    + MAX_FUNCTIONS);
        }
        int globals = module.globalSection().globalCount();
        if (globals > MAX_GLOBALS) {
            throw new InvalidModuleException("The module has " + globals + " globals; the IC allows at most "
                    + MAX_GLOBALS);
        }
        for (WasmBinary.Section section : WasmBinary.sections(wasm)) {
            if (section.id() == WasmBinary.CODE && section.contentLength() > MAX_CODE_SECTION_BYTES) {
                throw new InvalidModuleException("The module's code section has " + section.contentLength()
                        + " bytes; the IC allows at most " + MAX_CODE_SECTION_BYTES + " (10 MiB)");
            }
        }
    }

    private static void checkInstructions(WasmModule module) {
        FunctionBody[] bodies = module.codeSection().functionBodies();
        int imported = module.importSection().count(ExternalType.FUNCTION);
        for (int f = 0; f < bodies.length; f++) {
            var instructions = bodies[f].instructions();
            if (instructions.size() > MAX_INSTRUCTIONS_PER_FUNCTION) {
                throw new InvalidModuleException("Function " + (imported + f) + " has " + instructions.size()
                        + " instructions; the IC allows at most " + MAX_INSTRUCTIONS_PER_FUNCTION);
            }
            for (Instruction instruction : instructions) {
                String feature = disabledFeature(instruction.opcode());
                if (feature != null) {
                    throw new InvalidModuleException("Function " + (imported + f) + " uses "
                            + instruction.opcode() + " (" + feature + "), which the IC does not enable");
                }
            }
        }
    }

    /** The Wasm proposal an instruction belongs to when the IC has it off, else null. */
    private static String disabledFeature(OpCode opcode) {
        int value = opcode.opcode();
        if (value >= 0xFB00 && value < 0xFC00) {
            return "garbage collection";
        }
        if (value >= 0xFE00 && value < 0xFF00) {
            return "threads and atomics";
        }
        switch (opcode) {
            case THROW:
            case THROW_REF:
            case TRY_TABLE:
                return "exception handling";
            case RETURN_CALL:
            case RETURN_CALL_INDIRECT:
            case RETURN_CALL_REF:
                return "tail calls";
            case CALL_REF:
            case REF_AS_NON_NULL:
            case BR_ON_NULL:
            case BR_ON_NON_NULL:
                return "typed function references";
            default:
                return null;
        }
    }

    private static void checkCustomSections(byte[] wasm) {
        Set<String> names = new HashSet<>();
        int count = 0;
        long bytes = 0;
        for (WasmBinary.Section section : WasmBinary.sections(wasm)) {
            if (section.id() != WasmBinary.CUSTOM) {
                continue;
            }
            String name = WasmBinary.customSectionName(wasm, section);
            if (!name.startsWith("icp:")) {
                continue;
            }
            String rest;
            if (name.startsWith("icp:public ")) {
                rest = name.substring("icp:public ".length());
            } else if (name.startsWith("icp:private ")) {
                rest = name.substring("icp:private ".length());
            } else {
                throw new InvalidModuleException("The module has a custom section '" + name
                        + "'; sections named icp: must be 'icp:public <name>' or 'icp:private <name>'");
            }
            if (!names.add(rest)) {
                throw new InvalidModuleException("The module has the custom section '" + rest + "' twice");
            }
            count++;
            bytes += section.contentLength();
        }
        if (count > MAX_ICP_SECTIONS) {
            throw new InvalidModuleException("The module has " + count + " icp: custom sections; the IC allows at most "
                    + MAX_ICP_SECTIONS);
        }
        if (bytes > MAX_ICP_SECTION_BYTES) {
            throw new InvalidModuleException("The module's icp: custom sections have " + bytes
                    + " bytes; the IC allows at most " + MAX_ICP_SECTION_BYTES);
        }
    }

    static FunctionType functionType(WasmModule module, int functionIndex) {
        int imported = module.importSection().count(ExternalType.FUNCTION);
        if (functionIndex < imported) {
            int seen = 0;
            for (int i = 0; i < module.importSection().importCount(); i++) {
                Import imp = module.importSection().getImport(i);
                if (imp.importType() == ExternalType.FUNCTION) {
                    if (seen == functionIndex) {
                        return module.typeSection().getType(((FunctionImport) imp).typeIndex());
                    }
                    seen++;
                }
            }
        }
        return module.functionSection().getFunctionType(functionIndex - imported, module.typeSection());
    }

    static String describe(FunctionType type) {
        return "(" + names(type.params()) + ") -> (" + names(type.returns()) + ")";
    }

    private static String names(java.util.List<com.dylibso.chicory.wasm.types.ValType> types) {
        StringBuilder text = new StringBuilder();
        for (var type : types) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(type.toString().toLowerCase(java.util.Locale.ROOT));
        }
        return text.toString();
    }

    /** For tests and tools: the System API signatures by name. */
    static Map<String, FunctionType> systemApi() {
        return SystemApi.SIGNATURES;
    }
}
