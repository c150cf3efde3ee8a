package dev.tealama.icreplica.certification;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** A label in the IC's state tree: a blob, ordered as unsigned bytes (shorter first on a common prefix). */
public final class Label implements Comparable<Label> {

    private final byte[] bytes;

    private Label(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The label with these bytes (copied). */
    public static Label of(byte[] bytes) {
        return new Label(bytes.clone());
    }

    /** The label spelled by this ASCII/UTF-8 text, e.g. {@code request_status}. */
    public static Label of(String text) {
        return new Label(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] raw() {
        return bytes;
    }

    @Override
    public int compareTo(Label other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Label && Arrays.equals(bytes, ((Label) other).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The text if every byte is printable ASCII, else hex. */
    @Override
    public String toString() {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7E) {
                return "0x" + HexFormat.of().formatHex(bytes);
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
