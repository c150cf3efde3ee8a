package dev.tealama.cli.quantize;

import dev.tealama.gguf.TensorInfo;
import dev.tealama.tensor.GgmlType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Which tensors {@code llama-quantize --pure} quantizes, to what, and in which order it writes them
 * ({@code src/llama-quant.cpp} and {@code llama-model-loader.h} of llama.cpp).
 */
public final class QuantizationRules {
    /** ggml's {@code GGML_QNT_VERSION}, written as {@code general.quantization_version}. */
    public static final int QUANTIZATION_VERSION = 2;

    /**
     * Name fragments of weights llama.cpp never quantizes ({@code tensor_allows_quantization}): norms, expert
     * gates and routing tables, small or positional tensors of other architectures.
     */
    private static final String[] NEVER_QUANTIZED = {
        "_norm.weight", "ffn_gate_inp.weight", "ffn_gate_tid2eid.weight", "altup", "laurel", "per_layer_model_proj",
        "ssm_conv1d", "shortconv.conv.weight", "indexer.k_proj.weight", "indexer.q_proj.weight",
        "time_mix_first.weight", "time_mix_w0.weight", "time_mix_w1.weight", "time_mix_w2.weight",
        "time_mix_v0.weight", "time_mix_v1.weight", "time_mix_v2.weight", "time_mix_a0.weight",
        "time_mix_a1.weight", "time_mix_a2.weight", "time_mix_g1.weight", "time_mix_g2.weight",
        "time_mix_decay_w1.weight", "time_mix_decay_w2.weight", "time_mix_lerp_fused.weight",
        "attn_rel_b.weight", ".position_embd", "sam.pos_embd", "sam.neck.", "sam.net_", ".rel_pos",
        ".patch_embd", ".patch_merger", "a.rvq.codebook", "mm.a.code_embd",
    };

    private QuantizationRules() {
    }

    /** llama.cpp's {@code llama_ftype} number of a file whose weights are mostly {@code type}. */
    public static int fileType(GgmlType type) {
        switch (type) {
            case Q4_0:
                return 2; // LLAMA_FTYPE_MOSTLY_Q4_0
            case Q8_0:
                return 7; // LLAMA_FTYPE_MOSTLY_Q8_0
            default:
                throw new IllegalArgumentException("no file type for " + type);
        }
    }

    /**
     * Whether llama.cpp quantizes this tensor at all: a weight matrix (at least 2 dimensions that are not 1, name
     * ending in "weight") that is none of the exceptions.
     */
    public static boolean allowsQuantization(TensorInfo tensor) {
        if (ggmlDimensions(tensor) < 2) {
            return false;
        }
        String name = tensor.name();
        if (!name.endsWith("weight")) {
            return false;
        }
        for (String fragment : NEVER_QUANTIZED) {
            if (name.contains(fragment)) {
                return false;
            }
        }
        return !name.equals("position_embd.weight") && !name.equals("token_types.weight");
    }

    /** ggml's {@code ggml_n_dims}: the dimensions up to the last one that is not 1 (at least 1). */
    static int ggmlDimensions(TensorInfo tensor) {
        for (int d = 3; d >= 1; d--) {
            if (tensor.dim(d) > 1) {
                return d + 1;
            }
        }
        return 1;
    }

    /**
     * The type llama.cpp gives {@code tensor} when quantizing to {@code target}: its own type if it is not quantized,
     * else {@code target}, or F16 when its rows are not a whole number of {@code target}'s blocks (llama.cpp's
     * {@code tensor_type_fallback}: Q8_0 and Q4_0 have no smaller block to fall back to).
     */
    public static GgmlType targetType(TensorInfo tensor, GgmlType target) {
        if (!allowsQuantization(tensor)) {
            return tensor.type();
        }
        return tensor.dim(0) % target.blockSize() == 0 ? target : GgmlType.F16;
    }

    /**
     * The tensors in the order llama.cpp writes them ({@code llama_model_loader::weight_name_comparer}): by layer
     * number, tensors outside the {@code blk.N.} layers first, then by name (bytewise).
     */
    public static List<TensorInfo> writeOrder(List<TensorInfo> tensors) {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingInt((TensorInfo t) -> layerOf(t.name()))
                .thenComparing((a, b) -> Arrays.compareUnsigned(a.name().getBytes(StandardCharsets.UTF_8),
                        b.name().getBytes(StandardCharsets.UTF_8))));
        return sorted;
    }

    /** The {@code N} of {@code blk.N.…} as C's {@code sscanf(name, "blk.%d.")} reads it, or -1. */
    static int layerOf(String name) {
        if (!name.startsWith("blk.")) {
            return -1;
        }
        int i = 4;
        while (i < name.length() && isCSpace(name.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < name.length() && (name.charAt(i) == '+' || name.charAt(i) == '-')) {
            negative = name.charAt(i) == '-';
            i++;
        }
        int start = i;
        long value = 0;
        while (i < name.length() && name.charAt(i) >= '0' && name.charAt(i) <= '9') {
            value = Math.min(value * 10 + (name.charAt(i) - '0'), 1L << 40);
            i++;
        }
        if (i == start) {
            return -1;
        }
        long signed = negative ? -value : value;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, signed));
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
