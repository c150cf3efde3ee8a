package dev.tealama.icreplica.certification;

import dev.tealama.icreplica.cbor.CborException;
import dev.tealama.icreplica.cbor.CborValue;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The interface specification's hash tree (section "Certification"): a partial view of the state tree, possibly
 * with pruned subtrees, whose root hash a certificate signs.
 *
 * <pre>
 * HashTree = Empty | Fork HashTree HashTree | Labeled Label HashTree | Leaf blob | Pruned Hash
 * </pre>
 *
 * Encoded in CBOR as the arrays {@code [0]}, {@code [1, left, right]}, {@code [2, label, tree]}, {@code [3, value]}
 * and {@code [4, hash]}.
 */
public sealed interface HashTree {

    /** {@code reconstruct(tree)}: the root hash this tree stands for. */
    byte[] digest();

    /** The CBOR form. */
    CborValue toCbor();

    /** The empty tree. */
    record Empty() implements HashTree {
        @Override
        public byte[] digest() {
            return hash(domain("ic-hashtree-empty"));
        }

        @Override
        public CborValue toCbor() {
            return CborValue.Array.of(CborValue.Unsigned.of(0));
        }
    }

    /** Two subtrees side by side. */
    record Fork(HashTree left, HashTree right) implements HashTree {
        @Override
        public byte[] digest() {
            return hash(domain("ic-hashtree-fork"), left.digest(), right.digest());
        }

        @Override
        public CborValue toCbor() {
            return CborValue.Array.of(CborValue.Unsigned.of(1), left.toCbor(), right.toCbor());
        }
    }

    /** A subtree under a label. */
    record Labeled(Label label, HashTree subtree) implements HashTree {
        @Override
        public byte[] digest() {
            return hash(domain("ic-hashtree-labeled"), label.raw(), subtree.digest());
        }

        @Override
        public CborValue toCbor() {
            return CborValue.Array.of(CborValue.Unsigned.of(2), new CborValue.Bytes(label.raw()), subtree.toCbor());
        }
    }

    /** A value. */
    final class Leaf implements HashTree {
        private final byte[] value;

        public Leaf(byte[] value) {
            this.value = value.clone();
        }

        /** A copy of the value. */
        public byte[] value() {
            return value.clone();
        }

        @Override
        public byte[] digest() {
            return hash(domain("ic-hashtree-leaf"), value);
        }

        @Override
        public CborValue toCbor() {
            return CborValue.Array.of(CborValue.Unsigned.of(3), new CborValue.Bytes(value));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Leaf && Arrays.equals(value, ((Leaf) other).value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Leaf[" + value.length + " bytes]";
        }
    }

    /** A subtree replaced by its hash. */
    final class Pruned implements HashTree {
        private final byte[] hash;

        public Pruned(byte[] hash) {
            if (hash.length != 32) {
                throw new IllegalArgumentException("A pruned subtree is a 32-byte hash, not " + hash.length + " bytes");
            }
            this.hash = hash.clone();
        }

        @Override
        public byte[] digest() {
            return hash.clone();
        }

        @Override
        public CborValue toCbor() {
            return CborValue.Array.of(CborValue.Unsigned.of(4), new CborValue.Bytes(hash));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Pruned && Arrays.equals(hash, ((Pruned) other).hash);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(hash);
        }

        @Override
        public String toString() {
            return "Pruned[" + java.util.HexFormat.of().formatHex(hash) + "]";
        }
    }

    /**
     * The witness of {@code paths}: this tree with everything pruned that is not needed to reveal the values under
     * the paths or to prove that a path does not exist (its neighbouring labels are kept). Same root hash.
     */
    default HashTree witness(List<List<Label>> paths) {
        return Witness.of(this, paths);
    }

    /** What {@link #lookup} finds at a path (the specification's {@code lookup_path}). */
    enum LookupStatus { FOUND, ABSENT, UNKNOWN, ERROR }

    /** The result of a lookup: a status, and the value when it is {@link LookupStatus#FOUND}. */
    record LookupResult(LookupStatus status, byte[] value) {
        static LookupResult of(LookupStatus status) {
            return new LookupResult(status, null);
        }
    }

    /** The specification's {@code lookup_path(path, tree)}. */
    default LookupResult lookup(List<Label> path) {
        if (path.isEmpty()) {
            if (this instanceof Empty) {
                return LookupResult.of(LookupStatus.ABSENT);
            }
            if (this instanceof Leaf) {
                return new LookupResult(LookupStatus.FOUND, ((Leaf) this).value());
            }
            if (this instanceof Pruned) {
                return LookupResult.of(LookupStatus.UNKNOWN);
            }
            return LookupResult.of(LookupStatus.ERROR);
        }
        List<HashTree> flat = new ArrayList<>();
        flatten(this, flat);
        Label wanted = path.get(0);
        // find_label over the flattened forks
        Label previous = null;
        boolean previousIsLabel = false;
        for (int i = 0; i < flat.size(); i++) {
            HashTree tree = flat.get(i);
            if (tree instanceof Labeled) {
                Labeled labeled = (Labeled) tree;
                int order = wanted.compareTo(labeled.label());
                if (order == 0) {
                    return labeled.subtree().lookup(path.subList(1, path.size()));
                }
                if (order < 0) {
                    // wanted < this label: absent if the item before is a label smaller than wanted (or there is
                    // nothing before); otherwise something pruned might have held it.
                    boolean nothingBefore = i == 0;
                    if (nothingBefore || (previousIsLabel && previous.compareTo(wanted) < 0)) {
                        return LookupResult.of(LookupStatus.ABSENT);
                    }
                    return LookupResult.of(LookupStatus.UNKNOWN);
                }
                previous = labeled.label();
                previousIsLabel = true;
            } else {
                previousIsLabel = false;
            }
        }
        if (flat.isEmpty() || (flat.size() == 1 && flat.get(0) instanceof Leaf)) {
            return LookupResult.of(LookupStatus.ABSENT);
        }
        // wanted is greater than everything seen: absent only if the last item is a label.
        return previousIsLabel ? LookupResult.of(LookupStatus.ABSENT) : LookupResult.of(LookupStatus.UNKNOWN);
    }

    private static void flatten(HashTree tree, List<HashTree> out) {
        if (tree instanceof Empty) {
            return;
        }
        if (tree instanceof Fork) {
            flatten(((Fork) tree).left(), out);
            flatten(((Fork) tree).right(), out);
            return;
        }
        out.add(tree);
    }

    /** Reads the CBOR form; a clear {@link CborException} for anything else. */
    static HashTree fromCbor(CborValue value) {
        return fromCbor(value, 0);
    }

    private static HashTree fromCbor(CborValue value, int depth) {
        if (depth > 200) {
            throw new CborException("A hash tree nested deeper than 200 levels");
        }
        CborValue item = value.untagged();
        if (!(item instanceof CborValue.Array) || ((CborValue.Array) item).items().isEmpty()) {
            throw new CborException("A hash tree node must be a non-empty array, not " + item.describe());
        }
        List<CborValue> items = ((CborValue.Array) item).items();
        CborValue tag = items.get(0).untagged();
        if (!(tag instanceof CborValue.Unsigned)) {
            throw new CborException("A hash tree node starts with its tag 0 to 4, not " + tag.describe());
        }
        BigInteger kind = ((CborValue.Unsigned) tag).value();
        int expected = kind.equals(BigInteger.ZERO) ? 1 : kind.equals(BigInteger.ONE) || kind.equals(BigInteger.TWO)
                ? 3 : 2;
        if (kind.compareTo(BigInteger.valueOf(4)) > 0) {
            throw new CborException("Unknown hash tree tag " + kind);
        }
        if (items.size() != expected) {
            throw new CborException("A hash tree node with tag " + kind + " has " + expected + " items, not "
                    + items.size());
        }
        switch (kind.intValue()) {
            case 0:
                return new Empty();
            case 1:
                return new Fork(fromCbor(items.get(1), depth + 1), fromCbor(items.get(2), depth + 1));
            case 2:
                return new Labeled(Label.of(blob(items.get(1))), fromCbor(items.get(2), depth + 1));
            case 3:
                return new Leaf(blob(items.get(1)));
            default:
                byte[] hash = blob(items.get(1));
                if (hash.length != 32) {
                    throw new CborException("A pruned hash has 32 bytes, not " + hash.length);
                }
                return new Pruned(hash);
        }
    }

    private static byte[] blob(CborValue value) {
        CborValue item = value.untagged();
        if (!(item instanceof CborValue.Bytes)) {
            throw new CborException("Expected a byte string in a hash tree, not " + item.describe());
        }
        return ((CborValue.Bytes) item).bytes();
    }

    /** {@code domain_sep(s) = byte(|s|) . s}. */
    static byte[] domain(String separator) {
        byte[] text = separator.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[text.length + 1];
        out[0] = (byte) text.length;
        System.arraycopy(text, 0, out, 1, text.length);
        return out;
    }

    static byte[] hash(byte[]... parts) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                sha256.update(part);
            }
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }
}
