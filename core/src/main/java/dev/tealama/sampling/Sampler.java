package dev.tealama.sampling;

import dev.tealama.TealamaException;
import dev.tealama.math.DetMath;
import dev.tealama.model.Kernels;
import dev.tealama.model.ScalarKernels;

/**
 * Chooses the next token from the model's logits, as llama.cpp's default sampler chain does
 * ({@code common/sampling.cpp}, {@code src/llama-sampler.cpp}): repetition penalty, top-k, top-p, min-p,
 * temperature, then a random draw from the softmax of what is left. Temperature 0 is greedy: the token with the
 * highest (penalised) logit, the lowest id on ties. Top-k, top-p and min-p all keep the most likely token, so
 * they cannot change a greedy choice and are skipped.
 *
 * <p>As in llama.cpp, top-p and min-p judge probabilities at temperature 1 (temperature comes later in the chain
 * and only reshapes the draw among the survivors). Probabilities are computed in double precision with
 * {@link DetMath#exp}, so every host draws the same tokens.
 *
 * <p>The caller feeds the tokens of the conversation (the prompt's and the generated ones) to {@link #accept};
 * only the repetition penalty uses them. {@link #sample} reads the logits and never changes or keeps the array.
 * All scratch memory is allocated here, once: sampling allocates nothing per token, even for a 128k vocabulary.
 *
 * <p>Not thread-safe: one sampler per generation.
 */
public final class Sampler {
    /** How many top tokens top-p looks at first when top-k keeps everything; grows if their mass is too small. */
    private static final int TOP_P_FIRST_LOOK = 256;

    private final SamplingOptions options;
    private final int vocabularySize;
    private final Xoshiro256PlusPlus random;
    /** Find the highest score ({@link Kernels#argmax}) and top-k's candidates ({@link Kernels#firstAbove}); or null. */
    /** Core's scans ({@link Kernels}' defaults), for a sampler given no kernels. */
    private static final Kernels SCALAR = new ScalarKernels();

    private final Kernels kernels;

    /** The last {@code repeatLastN} accepted tokens: a ring of {@code recentCount} tokens from {@code recentStart}. */
    private final int[] recent;
    private int recentStart;
    private int recentCount;

    // Scratch, sized to the vocabulary (null when the options never need it).
    /** Logits after the repetition penalty. */
    private final float[] penalized;
    /** The ids of the current candidates in {@code [0, candidateCount)}; swapped with {@code selection}. */
    private int[] candidates;
    private int[] selection;
    /** Per token id: the candidate's unnormalised probability (exp of its logit minus the largest). */
    private final double[] weights;

    // Results of filter() for the draw.
    private int argmaxToken;
    private double weightSum;

    /**
     * @param options        validated sampling options
     * @param vocabularySize number of logits {@link #sample} receives
     */
    public Sampler(SamplingOptions options, int vocabularySize) {
        this(options, vocabularySize, null);
    }

    /**
     * @param options        validated sampling options
     * @param vocabularySize number of logits {@link #sample} receives
     * @param kernels        the host's kernels, whose {@link Kernels#argmax} finds the highest score and
     *                       {@link Kernels#firstAbove} top-k's candidates (the same tokens as core's scans, faster
     *                       where the host has vectors); null for core's scans
     */
    public Sampler(SamplingOptions options, int vocabularySize, Kernels kernels) {
        if (options == null) {
            throw new TealamaException("sampling options are missing");
        }
        if (vocabularySize < 1) {
            throw new TealamaException("a sampler needs a vocabulary of at least one token, got " + vocabularySize);
        }
        this.options = options;
        this.vocabularySize = vocabularySize;
        this.random = new Xoshiro256PlusPlus(options.seed());
        this.kernels = kernels != null ? kernels : SCALAR;
        this.recent = new int[options.penalizesRepetition() ? options.repeatLastN() : 0];
        this.penalized = options.penalizesRepetition() ? new float[vocabularySize] : null;
        boolean draws = !options.isGreedy();
        this.candidates = draws ? new int[vocabularySize] : null;
        this.selection = draws ? new int[vocabularySize] : null;
        this.weights = draws ? new double[vocabularySize] : null;
    }

    public SamplingOptions options() {
        return options;
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    /**
     * The next token.
     *
     * @param logits one score per token id, {@code vocabularySize} of them; not modified
     * @throws TealamaException if the array has the wrong length, or holds a NaN or +Infinity, or no finite logit
     */
    public int sample(float[] logits) {
        int candidateCount = filter(logits);
        return options.isGreedy() ? argmaxToken : draw(candidateCount);
    }

    /**
     * Notes a token of the conversation (prompt or generated) for the repetition penalty. Accept every token in
     * order, including the one {@link #sample} just returned.
     *
     * @throws TealamaException if {@code token} is not an id of the vocabulary
     */
    public void accept(int token) {
        if (token < 0 || token >= vocabularySize) {
            throw new TealamaException("token id " + token + " is outside the vocabulary (0.." + (vocabularySize - 1)
                    + ")");
        }
        if (recent.length == 0) {
            return;
        }
        if (recentCount < recent.length) {
            recent[(recentStart + recentCount) % recent.length] = token;
            recentCount++;
        } else {
            recent[recentStart] = token;  // overwrite the oldest
            recentStart = (recentStart + 1) % recent.length;
        }
    }

    /** Forgets the accepted tokens and restarts the random sequence: the sampler behaves as if new. */
    public void reset() {
        recentStart = 0;
        recentCount = 0;
        random.reseed(options.seed());
    }

    // ---------------------------------------------------------------------------------------------------------
    // The chain.

    /**
     * Runs the chain up to (not including) the draw. Leaves the highest-scoring token in {@code argmaxToken};
     * unless sampling is greedy, also the candidates in {@code candidates[0..count)} and their weights at the
     * sampling temperature in {@code weights[id]}, summing to {@code weightSum}. Returns {@code count} (0 when
     * greedy).
     */
    int filter(float[] logits) {
        if (logits == null || logits.length != vocabularySize) {
            throw new TealamaException("expected " + vocabularySize + " logits, got "
                    + (logits == null ? "none" : Integer.toString(logits.length)));
        }
        float[] scores = applyRepetitionPenalty(logits);
        argmaxToken = checkedArgmax(scores);
        if (options.isGreedy()) {
            return 0;
        }
        double maxScore = scores[argmaxToken];

        // Top-k. When it keeps everything the candidates stay in id order, unsorted: sorting 128k tokens only
        // pays off if top-p needs the order, and then only the top of it.
        int k = options.topK() == 0 || options.topK() >= vocabularySize ? vocabularySize : options.topK();
        int count;
        boolean sorted;
        if (k < vocabularySize) {
            TopSelection.selectBest(scores, null, vocabularySize, k, candidates, kernels);
            count = k;
            sorted = true;
        } else {
            for (int id = 0; id < vocabularySize; id++) {
                candidates[id] = id;
            }
            count = vocabularySize;
            sorted = false;
        }

        // Probabilities at temperature 1, unnormalised: the most likely candidate weighs exactly 1.
        double sum = 0;
        for (int i = 0; i < count; i++) {
            int id = candidates[i];
            double w = DetMath.exp(scores[id] - maxScore);
            weights[id] = w;
            sum += w;
        }

        if (options.topP() < 1) {
            count = topP(scores, count, sorted, sum);
        }
        if (options.minP() > 0) {
            count = minP(count);
        }
        applyTemperature(scores, maxScore, count);
        return count;
    }

    /** The logits with the repetition penalty applied (the caller's array itself when there is none). */
    private float[] applyRepetitionPenalty(float[] logits) {
        if (penalized == null || recentCount == 0) {
            return logits;
        }
        System.arraycopy(logits, 0, penalized, 0, vocabularySize);
        float penalty = options.repeatPenalty();
        for (int i = 0; i < recentCount; i++) {
            int token = recent[(recentStart + i) % recent.length];
            // Computed from the caller's logit, so a token seen several times is penalised once, as in llama.cpp.
            float logit = logits[token];
            penalized[token] = logit > 0 ? logit / penalty : logit * penalty;
        }
        return penalized;
    }

    /** The highest-scoring token (lowest id on ties), checking that the scores can be sampled at all. */
    private int checkedArgmax(float[] scores) {
        int found = kernels.argmax(scores, vocabularySize);
        if (found < 0) {
            // a NaN somewhere: name the first
            int nan = 0;
            while (!Float.isNaN(scores[nan])) {
                nan++;
            }
            throw new TealamaException("the logit of token " + nan + " is NaN");
        }
        checkFinite(found, scores[found]);
        return found;
    }

    private static void checkFinite(int best, float bestScore) {
        if (bestScore == Float.POSITIVE_INFINITY) {
            throw new TealamaException("the logit of token " + best + " is infinite");
        }
        if (bestScore == Float.NEGATIVE_INFINITY) {
            throw new TealamaException("no token has a finite logit");
        }
    }

    /**
     * Keeps the smallest set of most likely candidates whose probability adds up to at least top-p. Needs the
     * candidates best first: if they are not sorted yet, looks at the best {@value #TOP_P_FIRST_LOOK} first and at
     * four times more each time their mass falls short.
     */
    private int topP(float[] scores, int count, boolean sorted, double sum) {
        double target = options.topP() * sum;
        int[] ranked = candidates;
        int looked = count;
        if (!sorted) {
            looked = Math.min(count, TOP_P_FIRST_LOOK);
        }
        while (true) {
            if (!sorted) {
                TopSelection.selectBest(scores, candidates, count, looked, selection);
                ranked = selection;
            }
            double mass = 0;
            for (int i = 0; i < looked; i++) {
                mass += weights[ranked[i]];
                if (mass >= target) {
                    return keepRanked(ranked, sorted, i + 1);
                }
            }
            if (looked == count) {
                // Rounding kept the total just short of top-p: keep every candidate.
                return keepRanked(ranked, sorted, count);
            }
            looked = looked > count / 4 ? count : looked * 4;
        }
    }

    /** Makes {@code ranked[0..kept)} the candidates. */
    private int keepRanked(int[] ranked, boolean sorted, int kept) {
        if (!sorted) {
            selection = candidates;
            candidates = ranked;
        }
        return kept;
    }

    /** Keeps the candidates at least min-p times as likely as the most likely one (which weighs 1). */
    private int minP(int count) {
        double threshold = options.minP();
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int id = candidates[i];
            if (weights[id] >= threshold) {
                candidates[kept++] = id;
            }
        }
        return kept;
    }

    /** Replaces the weights of the survivors by those at the sampling temperature, and sums them. */
    private void applyTemperature(float[] scores, double maxScore, int count) {
        double temperature = options.temperature();
        double sum = 0;
        for (int i = 0; i < count; i++) {
            int id = candidates[i];
            double w = temperature == 1 ? weights[id] : DetMath.exp((scores[id] - maxScore) / temperature);
            weights[id] = w;
            sum += w;
        }
        weightSum = sum;
    }

    /** A candidate drawn with probability proportional to its weight. */
    private int draw(int count) {
        double target = random.nextDouble() * weightSum;
        double cumulative = 0;
        for (int i = 0; i < count; i++) {
            cumulative += weights[candidates[i]];
            if (cumulative > target) {
                return candidates[i];
            }
        }
        // Rounding left the running sum at or below the target: take the last candidate that can be drawn.
        for (int i = count - 1; i > 0; i--) {
            if (weights[candidates[i]] > 0) {
                return candidates[i];
            }
        }
        return candidates[0];
    }

    // For tests: the final candidates and their probabilities.

    /** The probability of each token under the whole chain (a fresh array; for tests). */
    double[] distribution(float[] logits) {
        double[] p = new double[vocabularySize];
        int count = filter(logits);
        if (options.isGreedy()) {
            p[argmaxToken] = 1;
            return p;
        }
        for (int i = 0; i < count; i++) {
            p[candidates[i]] = weights[candidates[i]] / weightSum;
        }
        return p;
    }
}
