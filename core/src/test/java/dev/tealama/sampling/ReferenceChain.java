package dev.tealama.sampling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sampler chain written straight from its definitions (llama.cpp's default order: penalties, top-k, top-p,
 * min-p, temperature, softmax), with a full sort and {@link StrictMath#exp}: slow and obvious, for checking the
 * real sampler's distribution.
 */
final class ReferenceChain {
    private ReferenceChain() {
    }

    /** Probability of each token after the chain, given the tokens accepted so far. */
    static double[] distribution(SamplingOptions o, float[] logits, List<Integer> accepted) {
        int n = logits.length;
        float[] s = logits.clone();
        if (o.repeatLastN() > 0) {
            Set<Integer> window = new HashSet<>(
                    accepted.subList(Math.max(0, accepted.size() - o.repeatLastN()), accepted.size()));
            for (int t : window) {
                s[t] = logits[t] > 0 ? logits[t] / o.repeatPenalty() : logits[t] * o.repeatPenalty();
            }
        }
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(i);
        }
        // Best first: higher score, then lower id.
        ids.sort(Comparator.<Integer>comparingDouble(i -> -s[i]).thenComparingInt(i -> i));
        double[] p = new double[n];
        if (o.temperature() == 0) {
            p[ids.get(0)] = 1;
            return p;
        }
        if (o.topK() > 0 && o.topK() < n) {
            ids = ids.subList(0, o.topK());
        }
        double max = s[ids.get(0)];
        double[] prob = softmax(s, ids, max, 1);
        if (o.topP() < 1) {
            double cumulative = 0;
            int keep = ids.size();
            for (int i = 0; i < ids.size(); i++) {
                cumulative += prob[i];
                if (cumulative >= o.topP()) {
                    keep = i + 1;
                    break;
                }
            }
            ids = ids.subList(0, keep);
            prob = softmax(s, ids, max, 1);
        }
        if (o.minP() > 0) {
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (prob[i] >= o.minP() * prob[0]) {
                    kept.add(ids.get(i));
                }
            }
            ids = kept;
        }
        double[] finalProb = softmax(s, ids, max, o.temperature());
        for (int i = 0; i < ids.size(); i++) {
            p[ids.get(i)] = finalProb[i];
        }
        return p;
    }

    private static double[] softmax(float[] s, List<Integer> ids, double max, double temperature) {
        double[] e = new double[ids.size()];
        double sum = 0;
        for (int i = 0; i < e.length; i++) {
            e[i] = StrictMath.exp((s[ids.get(i)] - max) / temperature);
            sum += e[i];
        }
        for (int i = 0; i < e.length; i++) {
            e[i] /= sum;
        }
        return e;
    }
}
