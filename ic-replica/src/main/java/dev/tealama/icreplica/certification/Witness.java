package dev.tealama.icreplica.certification;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Prunes a well-formed hash tree to the witness of some paths (section "Encoding of certificates", example
 * "Pruning this tree with the following paths"): at each level, a labeled subtree on a requested path is kept and
 * pruned further below; a label next to where a missing label would be is kept with its content pruned (it proves
 * the absence); everything else becomes the hash it stands for, and a fork of two hashes one hash.
 */
final class Witness {

    private Witness() {
    }

    static HashTree of(HashTree tree, List<List<Label>> paths) {
        if (paths.isEmpty()) {
            return new HashTree.Pruned(tree.digest());
        }
        for (List<Label> path : paths) {
            if (path.isEmpty()) {
                return tree;
            }
        }
        if (tree instanceof HashTree.Leaf || tree instanceof HashTree.Pruned) {
            // A path that goes below a value: the value shows there is nothing there.
            return tree;
        }
        TreeSet<Label> labels = new TreeSet<>();
        collectLabels(tree, labels);
        Map<Label, List<List<Label>>> revealed = new HashMap<>();
        Set<Label> neighbours = new HashSet<>();
        for (List<Label> path : paths) {
            Label first = path.get(0);
            if (labels.contains(first)) {
                revealed.computeIfAbsent(first, k -> new ArrayList<>()).add(path.subList(1, path.size()));
            } else {
                Label below = labels.lower(first);
                Label above = labels.higher(first);
                if (below != null) {
                    neighbours.add(below);
                }
                if (above != null) {
                    neighbours.add(above);
                }
            }
        }
        return prune(tree, revealed, neighbours, true);
    }

    private static HashTree prune(HashTree tree, Map<Label, List<List<Label>>> revealed, Set<Label> neighbours,
            boolean wholeLevel) {
        if (tree instanceof HashTree.Fork) {
            HashTree.Fork fork = (HashTree.Fork) tree;
            HashTree left = prune(fork.left(), revealed, neighbours, false);
            HashTree right = prune(fork.right(), revealed, neighbours, false);
            HashTree.Fork pruned = new HashTree.Fork(left, right);
            if (left instanceof HashTree.Pruned && right instanceof HashTree.Pruned) {
                return new HashTree.Pruned(pruned.digest());
            }
            return pruned;
        }
        if (tree instanceof HashTree.Labeled) {
            HashTree.Labeled labeled = (HashTree.Labeled) tree;
            List<List<Label>> tails = revealed.get(labeled.label());
            if (tails != null) {
                return new HashTree.Labeled(labeled.label(), of(labeled.subtree(), tails));
            }
            if (neighbours.contains(labeled.label())) {
                return new HashTree.Labeled(labeled.label(), new HashTree.Pruned(labeled.subtree().digest()));
            }
            return new HashTree.Pruned(labeled.digest());
        }
        if (tree instanceof HashTree.Pruned) {
            return tree;
        }
        // Empty (or a leaf where labels belong): kept only when it is all there is at this level.
        return wholeLevel ? tree : new HashTree.Pruned(tree.digest());
    }

    private static void collectLabels(HashTree tree, Set<Label> labels) {
        if (tree instanceof HashTree.Fork) {
            collectLabels(((HashTree.Fork) tree).left(), labels);
            collectLabels(((HashTree.Fork) tree).right(), labels);
        } else if (tree instanceof HashTree.Labeled) {
            labels.add(((HashTree.Labeled) tree).label());
        }
    }
}
