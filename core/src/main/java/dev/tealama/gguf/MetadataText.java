package dev.tealama.gguf;

import dev.tealama.gguf.MetadataValue.ArrayValue;
import dev.tealama.gguf.MetadataValue.BoolValue;
import dev.tealama.gguf.MetadataValue.Float32Value;
import dev.tealama.gguf.MetadataValue.Float64Value;
import dev.tealama.gguf.MetadataValue.IntegerValue;
import dev.tealama.gguf.MetadataValue.StringValue;

/**
 * Metadata values as text, for {@code tealama inspect} and for debugging: a short human-readable form and JSON.
 *
 * <p>Both cut arrays to their first elements on request, because a vocabulary array has hundreds of thousands of
 * entries; the cost is proportional to what is printed, not to the array's size.
 */
public final class MetadataText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MetadataText() {
    }

    /**
     * A one-line rendering: numbers and booleans as usual, strings quoted and escaped (cut after
     * {@code maxStringChars} characters, marked {@code ...}), arrays as {@code [a, b, ... 31998 more]} showing at
     * most {@code maxElements} elements per array.
     */
    public static String display(MetadataValue value, int maxElements, int maxStringChars) {
        StringBuilder out = new StringBuilder();
        appendDisplay(out, value, Math.max(0, maxElements), Math.max(0, maxStringChars));
        return out.toString();
    }

    /** {@code value} as JSON, arrays complete. See {@link #json(MetadataValue, int)}. */
    public static String json(MetadataValue value) {
        return json(value, Integer.MAX_VALUE);
    }

    /**
     * {@code value} as JSON, each array cut to its first {@code maxElements} elements (callers who cut say so next to
     * it, e.g. with the element count from {@link ArrayValue#size()}). Integers are exact ({@code u64} unsigned);
     * non-finite floats, which JSON cannot express as numbers, become the strings {@code "NaN"}, {@code "Infinity"}
     * and {@code "-Infinity"}.
     */
    public static String json(MetadataValue value, int maxElements) {
        StringBuilder out = new StringBuilder();
        appendJson(out, value, Math.max(0, maxElements));
        return out.toString();
    }

    /** {@code s} as a JSON string literal, quotes included. */
    public static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        appendQuoted(out, s, s.length());
        return out.toString();
    }

    private static void appendDisplay(StringBuilder out, MetadataValue value, int maxElements, int maxStringChars) {
        if (value instanceof StringValue s) {
            appendQuoted(out, s.value(), maxStringChars);
        } else if (value instanceof ArrayValue array) {
            int shown = Math.min(array.size(), maxElements);
            out.append('[');
            for (int i = 0; i < shown; i++) {
                if (i > 0) {
                    out.append(", ");
                }
                appendDisplay(out, array.element(i), maxElements, maxStringChars);
            }
            if (shown < array.size()) {
                out.append(shown > 0 ? ", ... " : "... ").append(array.size() - shown).append(" more");
            }
            out.append(']');
        } else {
            out.append(value); // scalars print themselves (u64 unsigned)
        }
    }

    private static void appendJson(StringBuilder out, MetadataValue value, int maxElements) {
        if (value instanceof StringValue s) {
            appendQuoted(out, s.value(), s.value().length());
        } else if (value instanceof ArrayValue array) {
            int shown = Math.min(array.size(), maxElements);
            out.append('[');
            for (int i = 0; i < shown; i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendJson(out, array.element(i), maxElements);
            }
            out.append(']');
        } else if (value instanceof Float32Value f) {
            appendJsonNumber(out, f.value(), Float.toString(f.value()));
        } else if (value instanceof Float64Value d) {
            appendJsonNumber(out, d.value(), Double.toString(d.value()));
        } else if (value instanceof IntegerValue || value instanceof BoolValue) {
            out.append(value);
        } else {
            throw new IllegalStateException("unhandled metadata value " + value.getClass());
        }
    }

    private static void appendJsonNumber(StringBuilder out, double value, String text) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            out.append('"').append(text).append('"');
        } else {
            out.append(text);
        }
    }

    /** Appends {@code s} quoted, with JSON escapes; after {@code maxChars} characters, {@code ...} ends it. */
    private static void appendQuoted(StringBuilder out, String s, int maxChars) {
        int end = Math.min(s.length(), maxChars);
        out.append('"');
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x7F) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
            }
        }
        if (end < s.length()) {
            out.append("...");
        }
        out.append('"');
    }
}
