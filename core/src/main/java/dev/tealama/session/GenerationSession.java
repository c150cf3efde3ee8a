package dev.tealama.session;

import dev.tealama.TealamaException;
import dev.tealama.model.ForwardPass;
import dev.tealama.model.LayerWeights;
import dev.tealama.model.LlamaConfig;
import dev.tealama.model.LlamaModel;
import dev.tealama.sampling.Sampler;
import dev.tealama.tokenizer.StreamingDecoder;
import dev.tealama.tokenizer.Tokenizer;

import java.util.Arrays;

/**
 * A resumable generation: prompt ingestion and decoding cut into units of bounded work, so that both hosts drive
 * the same code — the JVM with an unlimited budget, the canister with what is left of one message's instructions.
 *
 * <p>A unit is one transformer layer for one batch of tokens (a batch of prompt tokens, or the single token being
 * decoded), or a slice of the output projection's rows (whole groups of {@link #OUTPUT_ROW_GROUP} rows but the
 * last). Between units nothing but this object's fields holds state, so a step may end after any unit and the
 * next step continues from there.
 *
 * <p>The KV cache outlives a generation: {@link #start} keeps the cached positions that agree with the new
 * prompt, so a chat re-renders its whole conversation and only the new turn is evaluated.
 */
public final class GenerationSession {
    private enum Phase { IDLE, INGEST, DECODE, DONE }

    /**
     * Slices of the output projection start at multiples of this many rows (and end at one, or at the last row), so
     * that a host may store that matrix in groups of four rows, as the canister does (its packed layout).
     */
    public static final int OUTPUT_ROW_GROUP = 4;

    private final LlamaModel model;
    private final ForwardPass forward;
    private final Tokenizer tokenizer;
    private final int layers;
    private final int vocabulary;

    /** Tokens whose keys and values are in the cache, followed by the last sampled token (not yet evaluated). */
    private int[] context;
    private int contextLength;
    private int cachedCount;

    private Phase phase = Phase.IDLE;
    private GenerationOptions options;
    private Sampler sampler;
    private StreamingDecoder decoder;
    private StopStringFilter stopFilter;
    private FinishReason finishReason;

    private int promptLength;
    private int promptEvaluated;
    private int generated;
    private long workUnits;
    private int steps;

    // the batch being evaluated
    private boolean batchActive;
    private int batchStart;
    private int batchCount;
    private int nextLayer;
    private boolean outputPrepared;
    private int outputRow;

    // what the current step produced
    private int[] stepTokens = new int[16];
    private int stepTokenCount;
    private final StringBuilder stepText = new StringBuilder();

    public GenerationSession(LlamaModel model, ForwardPass forward) {
        this.model = model;
        this.forward = forward;
        this.tokenizer = model.tokenizer();
        this.layers = model.config().layers();
        this.vocabulary = model.config().vocabularySize();
        this.context = new int[forward.contextSize()];
    }

    public LlamaModel model() {
        return model;
    }

    /** Positions the context holds. */
    public int contextSize() {
        return forward.contextSize();
    }

    /**
     * Starts generating after {@code promptTokens} (already tokenized, BOS included if wanted). Cached positions
     * that match the start of the prompt are reused.
     */
    public void start(int[] promptTokens, GenerationOptions options) {
        if (promptTokens.length == 0) {
            throw new TealamaException("the prompt is empty");
        }
        if (promptTokens.length > forward.contextSize()) {
            throw new TealamaException("the prompt has " + promptTokens.length + " tokens but the context holds "
                    + forward.contextSize() + "; shorten the prompt or raise the context size");
        }
        for (int t : promptTokens) {
            if (t < 0 || t >= vocabulary) {
                throw new TealamaException("prompt token " + t + " is outside the vocabulary (" + vocabulary + ")");
            }
        }
        int reuse = 0;
        while (reuse < cachedCount && reuse < promptTokens.length && context[reuse] == promptTokens[reuse]) {
            reuse++;
        }
        if (reuse == promptTokens.length) {
            reuse--; // the last prompt token must run again: its logits pick the first new token
        }
        System.arraycopy(promptTokens, 0, context, 0, promptTokens.length);
        contextLength = promptTokens.length;
        cachedCount = reuse;

        this.options = options;
        this.sampler = new Sampler(options.sampling(), vocabulary, forward.kernels());
        for (int t : promptTokens) {
            sampler.accept(t);
        }
        this.decoder = tokenizer.streamingDecoder(false);
        this.stopFilter = new StopStringFilter(options.stopStrings());
        this.finishReason = null;
        this.promptLength = promptTokens.length;
        this.promptEvaluated = promptTokens.length - reuse;
        this.generated = 0;
        this.workUnits = 0;
        this.steps = 0;
        this.batchActive = false;
        this.phase = options.maxTokens() == 0 ? Phase.DONE : Phase.INGEST;
        if (phase == Phase.DONE) {
            finishReason = FinishReason.MAX_TOKENS;
        }
    }

    /** Whether the generation has finished (or none was started). */
    public boolean isDone() {
        return phase == Phase.DONE || phase == Phase.IDLE;
    }

    public FinishReason finishReason() {
        return finishReason;
    }

    /** Ends the generation; the next step reports it as cancelled. The cache stays valid for a later start. */
    public void cancel() {
        if (phase == Phase.INGEST || phase == Phase.DECODE) {
            abandonBatch();
            phase = Phase.DONE;
            finishReason = FinishReason.CANCELLED;
        }
    }

    public SessionCounters counters() {
        int promptDone = phase == Phase.INGEST
                ? Math.max(0, cachedCount - (promptLength - promptEvaluated))
                : promptEvaluated;
        if (phase == Phase.IDLE) {
            promptDone = 0;
        }
        return new SessionCounters(promptLength, promptEvaluated, promptDone, generated, workUnits, steps);
    }

    /** Tokens in the context: the prompt and what has been generated so far. */
    public int[] contextTokens() {
        return Arrays.copyOf(context, contextLength);
    }

    /**
     * Runs units of work while the budget allows, and returns the tokens and text they produced.
     *
     * @throws TealamaException if a single unit needs more than a whole step's budget (the host must give more)
     */
    public StepResult step(StepBudget budget) {
        stepTokenCount = 0;
        stepText.setLength(0);
        if (phase == Phase.IDLE) {
            throw new TealamaException("no generation started");
        }
        if (phase != Phase.DONE) {
            steps++;
            run(budget);
        }
        return new StepResult(Arrays.copyOf(stepTokens, stepTokenCount), stepText.toString(), phase == Phase.DONE,
                finishReason, counters());
    }

    private void run(StepBudget budget) {
        boolean progressed = false;
        while (phase == Phase.INGEST || phase == Phase.DECODE) {
            if (!batchActive) {
                int count = phase == Phase.INGEST
                        ? Math.min(Math.min(forward.maxBatch(), contextLength - cachedCount), tokensFitting(sizingCapacity(budget)))
                        : 1;
                if (!fits(layerCost(count, cachedCount), budget, progressed)) {
                    return;
                }
                forward.beginBatch(context, cachedCount, count, cachedCount);
                batchActive = true;
                batchStart = cachedCount;
                batchCount = count;
                nextLayer = 0;
                outputPrepared = false;
                outputRow = 0;
            }
            if (nextLayer < layers) {
                long cost = layerCost(batchCount, batchStart);
                if (!progressed && cost > budget.remaining()) {
                    // The first unit of a step. A batch in flight was sized to fit a whole step; if the host's
                    // estimate of a unit's cost has risen a little since, its next layer still runs, not fails.
                    if (cost > budget.capacity() + budget.capacity() / 4) {
                        throw new TealamaException("one layer needs " + cost + " work units, more than a whole step's"
                                + " budget of " + budget.capacity());
                    }
                } else if (!fits(cost, budget, progressed)) {
                    return;
                }
                forward.runLayer(nextLayer++);
                spend(cost, budget);
                progressed = true;
                if (nextLayer == layers) {
                    cachedCount = batchStart + batchCount;
                    if (cachedCount < contextLength) {
                        batchActive = false; // more prompt to ingest; no logits needed yet
                    }
                }
                continue;
            }
            // output projection, possibly in slices of whole groups of four rows
            int dim = model.config().dim();
            int rows = outputSlice(budget.remaining() / dim);
            if (rows <= 0) {
                if (!progressed && outputSlice(budget.capacity() / dim) <= 0) {
                    throw new TealamaException("the step budget cannot cover " + Math.min(OUTPUT_ROW_GROUP,
                            vocabulary - outputRow) + " rows of the output projection");
                }
                return;
            }
            if (!outputPrepared) {
                forward.prepareOutput();
                outputPrepared = true;
            }
            int end = outputRow + rows;
            forward.computeLogits(outputRow, end);
            spend((long) (end - outputRow) * dim, budget);
            progressed = true;
            outputRow = end;
            if (outputRow == vocabulary) {
                batchActive = false;
                phase = Phase.DECODE;
                sampleNext();
            }
        }
    }

    /**
     * The rows of the output projection's next slice when {@code affordable} rows fit the budget: all the rows left
     * if they fit, else a multiple of {@link #OUTPUT_ROW_GROUP} (possibly 0), so that every slice starts at a
     * multiple of it.
     */
    private int outputSlice(long affordable) {
        int left = vocabulary - outputRow;
        if (affordable >= left) {
            return left;
        }
        return (int) (affordable - affordable % OUTPUT_ROW_GROUP);
    }

    private void sampleNext() {
        int token = sampler.sample(forward.logits());
        sampler.accept(token);
        if (tokenizer.isEndOfGeneration(token)) {
            finish(FinishReason.END_OF_GENERATION);
            return;
        }
        generated++;
        emitToken(token);
        context[contextLength++] = token;
        stepText.append(stopFilter.accept(decoder.accept(token)));
        if (stopFilter.stopped()) {
            finish(FinishReason.STOP_STRING);
        } else if (generated >= options.maxTokens()) {
            finish(FinishReason.MAX_TOKENS);
        } else if (contextLength >= forward.contextSize()) {
            finish(FinishReason.CONTEXT_FULL);
        }
    }

    private void finish(FinishReason reason) {
        if (reason != FinishReason.STOP_STRING) {
            stepText.append(stopFilter.accept(decoder.finish()));
            stepText.append(stopFilter.flush());
        }
        finishReason = reason;
        phase = Phase.DONE;
    }

    private void abandonBatch() {
        if (batchActive && nextLayer < layers) {
            // the batch's keys and values are only partly written: forget its positions
            cachedCount = batchStart;
        }
        batchActive = false;
    }

    private void emitToken(int token) {
        if (stepTokenCount == stepTokens.length) {
            stepTokens = Arrays.copyOf(stepTokens, stepTokens.length * 2);
        }
        stepTokens[stepTokenCount++] = token;
    }

    private void spend(long cost, StepBudget budget) {
        workUnits += cost;
        budget.spent(cost);
    }

    private boolean fits(long cost, StepBudget budget, boolean progressed) {
        if (cost <= budget.remaining()) {
            return true;
        }
        if (!progressed && cost > budget.capacity()) {
            throw new TealamaException("one layer needs " + cost + " work units, more than a whole step's budget of "
                    + budget.capacity());
        }
        return false;
    }

    /**
     * The work a new batch's layer may take: nine tenths of a whole step, so that a batch still fits the steps
     * after this one when the host's estimate of the cost of a unit rises a little.
     */
    private static long sizingCapacity(StepBudget budget) {
        long capacity = budget.capacity();
        return capacity - capacity / 10;
    }

    /** How many prompt tokens a batch may hold so that one layer of it fits a whole step. */
    private int tokensFitting(long capacity) {
        int n = 1;
        int max = forward.maxBatch();
        while (n < max && layerCost(n + 1, cachedCount) <= capacity) {
            n++;
        }
        return n;
    }

    /** Estimated work of one layer for {@code count} tokens at positions {@code start..}: weights plus attention. */
    private long layerCost(int count, int start) {
        LlamaConfig c = model.config();
        LayerWeights w = model.weights().layers().get(0);
        long weights = (long) w.query().rows() * w.query().cols() + (long) w.key().rows() * w.key().cols()
                + (long) w.value().rows() * w.value().cols() + (long) w.attentionOutput().rows() * w.attentionOutput().cols()
                + 3L * c.ffnDim() * c.dim();
        long attention = 0;
        for (int t = 0; t < count; t++) {
            attention += 2L * c.queryDim() * (start + t + 1);
        }
        return weights * count + attention;
    }
}
