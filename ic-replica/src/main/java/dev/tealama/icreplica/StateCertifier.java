package dev.tealama.icreplica;

import dev.tealama.ichost.CanisterModule;
import dev.tealama.ichost.LocalCanister;
import dev.tealama.ichost.Principal;
import dev.tealama.icreplica.cbor.CborValue;
import dev.tealama.icreplica.cbor.CborWriter;
import dev.tealama.icreplica.certification.BlsKeyPair;
import dev.tealama.icreplica.certification.Certificate;
import dev.tealama.icreplica.certification.HashTree;
import dev.tealama.icreplica.certification.Label;
import dev.tealama.icreplica.certification.LabeledTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds the replica's state tree (the parts of "The system state tree" this replica has) and certifies it with
 * the root key:
 *
 * <pre>
 * /time                                            now, nanoseconds (LEB128)
 * /request_status/&lt;id&gt;/status | reply | reject_code | reject_message | error_code
 * /canister/&lt;id&gt;/controllers | module_hash | metadata/&lt;name&gt;
 * /subnet/&lt;subnet_id&gt;/public_key | canister_ranges | node/&lt;node_id&gt;/public_key
 * </pre>
 *
 * Like the IC, it certifies a state and then serves it for a while: the certified state (and its signature) is
 * reused until something in it changes or it is older than {@link #MAX_AGE_NANOS}, so polling does not cost a BLS
 * signature per request. A read is answered with a witness of the requested paths (and {@code /time}).
 */
final class StateCertifier {

    /** How long a certified state is served before it is certified anew with a fresh time. */
    static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final BlsKeyPair rootKey;
    private final NodeKey nodeKey;
    private final Principal subnetId;
    private final Principal rangeLow;
    private final Principal rangeHigh;

    private byte[] certifiedDigestWithoutTime;
    private long certifiedTime;
    private HashTree certifiedTree;
    private byte[] certifiedSignature;

    StateCertifier(BlsKeyPair rootKey, NodeKey nodeKey, Principal rangeLow, Principal rangeHigh) {
        this.rootKey = rootKey;
        this.nodeKey = nodeKey;
        this.subnetId = Principal.selfAuthenticating(rootKey.publicKeyDer());
        this.rangeLow = rangeLow;
        this.rangeHigh = rangeHigh;
    }

    /** The subnet's id: the self-authenticating principal of its public key, as on the IC. */
    Principal subnetId() {
        return subnetId;
    }

    /**
     * A certificate that reveals {@code paths} (and {@code /time}) of the current state.
     *
     * @param history    the known update calls
     * @param canisters  the canisters of this subnet
     * @param nowNanos   the replica's time
     */
    synchronized Certificate certify(Map<Label, IngressHistory.Entry> history, Collection<LocalCanister> canisters,
            List<List<Label>> paths, long nowNanos) {
        LabeledTree withoutTime = stateTree(history, canisters, null);
        byte[] digest = withoutTime.digest();
        if (certifiedTree == null || !Arrays.equals(digest, certifiedDigestWithoutTime)
                || nowNanos - certifiedTime >= MAX_AGE_NANOS || nowNanos < certifiedTime) {
            certifiedTime = nowNanos;
            certifiedTree = stateTree(history, canisters, nowNanos).hashTree();
            certifiedDigestWithoutTime = digest;
            certifiedSignature = rootKey.sign(Certificate.signedMessage(certifiedTree.digest()));
        }
        List<List<Label>> revealed = new ArrayList<>(paths);
        revealed.add(List.of(Label.of("time")));
        HashTree witness = certifiedTree.witness(revealed);
        return new Certificate(witness, certifiedSignature);
    }

    private LabeledTree stateTree(Map<Label, IngressHistory.Entry> history, Collection<LocalCanister> canisters,
            Long timeNanos) {
        LabeledTree.NodeBuilder root = LabeledTree.node();
        root.put("canister", canistersTree(canisters));
        root.put("request_status", requestStatusTree(history));
        root.put("subnet", LabeledTree.node().put(Label.of(subnetId.toBytes()), subnetTree()).build());
        if (timeNanos != null) {
            root.leaf("time", RepresentationIndependentHash.unsignedLeb128(timeNanos));
        }
        return root.build();
    }

    private LabeledTree canistersTree(Collection<LocalCanister> canisters) {
        LabeledTree.NodeBuilder node = LabeledTree.node();
        for (LocalCanister canister : canisters) {
            LabeledTree.NodeBuilder info = LabeledTree.node();
            List<CborValue> controllers = new ArrayList<>();
            for (Principal controller : new TreeSet<>(canister.controllers())) {
                controllers.add(new CborValue.Bytes(controller.toBytes()));
            }
            info.leaf("controllers", CborWriter.encodeSelfDescribed(new CborValue.Array(controllers)));
            CanisterModule module = canister.module();
            if (module != null) {
                info.leaf("module_hash", module.sha256());
                if (!module.metadata().isEmpty()) {
                    LabeledTree.NodeBuilder metadata = LabeledTree.node();
                    for (CanisterModule.Metadata section : module.metadata().values()) {
                        metadata.leaf(section.name(), section.content());
                    }
                    info.put("metadata", metadata.build());
                }
            }
            node.put(Label.of(canister.canisterId().toBytes()), info.build());
        }
        return node.build();
    }

    private static LabeledTree requestStatusTree(Map<Label, IngressHistory.Entry> history) {
        LabeledTree.NodeBuilder node = LabeledTree.node();
        for (Map.Entry<Label, IngressHistory.Entry> entry : history.entrySet()) {
            RequestStatus status = entry.getValue().status();
            LabeledTree.NodeBuilder request = LabeledTree.node();
            request.leaf("status", status.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (status instanceof RequestStatus.Replied) {
                request.leaf("reply", ((RequestStatus.Replied) status).reply());
            } else if (status instanceof RequestStatus.Rejected) {
                RequestStatus.Rejected rejected = (RequestStatus.Rejected) status;
                request.leaf("reject_code", RepresentationIndependentHash.unsignedLeb128(rejected.rejectCode()));
                request.leaf("reject_message",
                        rejected.rejectMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                request.leaf("error_code", rejected.errorCode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            node.put(entry.getKey(), request.build());
        }
        return node.build();
    }

    private LabeledTree subnetTree() {
        CborValue ranges = CborValue.Array.of(CborValue.Array.of(new CborValue.Bytes(rangeLow.toBytes()),
                new CborValue.Bytes(rangeHigh.toBytes())));
        return LabeledTree.node()
                .leaf("canister_ranges", CborWriter.encodeSelfDescribed(ranges))
                .put("node", LabeledTree.node()
                        .put(Label.of(nodeKey.nodeId().toBytes()),
                                LabeledTree.node().leaf("public_key", nodeKey.publicKeyDer()).build())
                        .build())
                .leaf("public_key", rootKey.publicKeyDer())
                .build();
    }
}
