package dev.tealama.icreplica.certification;

import dev.tealama.icreplica.cbor.CborException;
import dev.tealama.icreplica.cbor.CborReader;
import dev.tealama.icreplica.cbor.CborValue;
import dev.tealama.icreplica.cbor.CborWriter;

/**
 * A certificate without delegation: a (partial) state tree and the BLS signature of
 * {@code "\x0Dic-state-root" . root_hash} by the root key. Encoded as the CBOR map {@code {tree, signature}} behind
 * the self-describing tag.
 */
public record Certificate(HashTree tree, byte[] signature) {

    /** The domain separator of a state root signature: one length byte, then {@code ic-state-root}. */
    public static final byte[] STATE_ROOT_DOMAIN = HashTree.domain("ic-state-root");

    public Certificate {
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Signs the root hash of {@code tree} with {@code key}. */
    public static Certificate sign(HashTree tree, BlsKeyPair key) {
        return new Certificate(tree, key.sign(signedMessage(tree.digest())));
    }

    /** What the signature covers: the domain separator followed by the root hash. */
    public static byte[] signedMessage(byte[] rootHash) {
        byte[] message = new byte[STATE_ROOT_DOMAIN.length + rootHash.length];
        System.arraycopy(STATE_ROOT_DOMAIN, 0, message, 0, STATE_ROOT_DOMAIN.length);
        System.arraycopy(rootHash, 0, message, STATE_ROOT_DOMAIN.length, rootHash.length);
        return message;
    }

    /** Whether the signature is valid for this tree under the 96-byte BLS {@code publicKey}. */
    public boolean verify(byte[] publicKey) {
        return BlsKeyPair.verify(signature, signedMessage(tree.digest()), publicKey);
    }

    /** The CBOR encoding. */
    public byte[] encode() {
        return CborWriter.encodeSelfDescribed(CborValue.MapValue.builder()
                .put("tree", tree.toCbor())
                .put("signature", signature)
                .build());
    }

    /** Reads an encoded certificate (one without a delegation). */
    public static Certificate decode(byte[] encoded) {
        CborValue value = CborReader.decode(encoded).untagged();
        if (!(value instanceof CborValue.MapValue)) {
            throw new CborException("A certificate is a map, not " + value.describe());
        }
        CborValue.MapValue map = (CborValue.MapValue) value;
        CborValue tree = map.get("tree");
        CborValue signature = map.get("signature");
        if (tree == null || !(signature instanceof CborValue.Bytes)) {
            throw new CborException("A certificate has a tree and a signature blob");
        }
        if (map.get("delegation") != null) {
            throw new CborException("Certificates with a delegation are not read here");
        }
        return new Certificate(HashTree.fromCbor(tree), ((CborValue.Bytes) signature).bytes());
    }

    @Override
    public String toString() {
        return "Certificate[root " + java.util.HexFormat.of().formatHex(tree.digest()) + ", signature "
                + java.util.HexFormat.of().formatHex(signature) + "]";
    }
}
