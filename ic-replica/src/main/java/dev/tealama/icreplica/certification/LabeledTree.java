package dev.tealama.icreplica.certification;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A state tree in full: labeled subtrees with values at the leaves ("the system state tree" of the interface
 * specification). {@link #hashTree()} gives its hash tree: children in label order, paired into balanced forks.
 */
public sealed interface LabeledTree {

    /** A value. */
    final class Leaf implements LabeledTree {
        private final byte[] value;

        public Leaf(byte[] value) {
            this.value = value.clone();
        }

        public byte[] value() {
            return value.clone();
        }
    }

    /** Labeled children (possibly none). */
    final class Node implements LabeledTree {
        private final NavigableMap<Label, LabeledTree> children;

        public Node(Map<Label, LabeledTree> children) {
            this.children = Collections.unmodifiableNavigableMap(new TreeMap<>(children));
        }

        public NavigableMap<Label, LabeledTree> children() {
            return children;
        }
    }

    /** Builds a node from {@code put(label, subtree)} calls. */
    static NodeBuilder node() {
        return new NodeBuilder();
    }

    /** A builder of a {@link Node}; a label put twice is a programming error. */
    final class NodeBuilder {
        private final Map<Label, LabeledTree> children = new TreeMap<>();

        private NodeBuilder() {
        }

        public NodeBuilder put(Label label, LabeledTree subtree) {
            if (children.put(label, subtree) != null) {
                throw new IllegalArgumentException("The label " + label + " appears twice");
            }
            return this;
        }

        public NodeBuilder put(String label, LabeledTree subtree) {
            return put(Label.of(label), subtree);
        }

        public NodeBuilder leaf(String label, byte[] value) {
            return put(label, new Leaf(value));
        }

        public Node build() {
            return new Node(children);
        }
    }

    /** The full hash tree (nothing pruned). */
    default HashTree hashTree() {
        if (this instanceof Leaf) {
            return new HashTree.Leaf(((Leaf) this).value);
        }
        List<HashTree> items = new ArrayList<>();
        for (Map.Entry<Label, LabeledTree> child : ((Node) this).children.entrySet()) {
            items.add(new HashTree.Labeled(child.getKey(), child.getValue().hashTree()));
        }
        return forks(items, 0, items.size());
    }

    /** The root hash. */
    default byte[] digest() {
        return hashTree().digest();
    }

    /**
     * Pairs {@code items[from, to)} into a balanced tree of forks (the left half gets the extra item).
     */
    private static HashTree forks(List<HashTree> items, int from, int to) {
        int count = to - from;
        if (count == 0) {
            return new HashTree.Empty();
        }
        if (count == 1) {
            return items.get(from);
        }
        int middle = from + (count + 1) / 2;
        HashTree left = forks(items, from, middle);
        HashTree right = forks(items, middle, to);
        return new HashTree.Fork(left, right);
    }
}
