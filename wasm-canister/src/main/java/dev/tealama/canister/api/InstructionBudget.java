package dev.tealama.canister.api;

import dev.tealama.canister.ic.Message;
import dev.tealama.session.StepBudget;

/**
 * A step budget in Wasm instructions, read from {@code ic0.performance_counter(0)}: the session's work units are
 * converted with an instructions-per-unit ratio that is learned from every unit spent. Before each unit the
 * session asks {@link #remaining()}; a unit the ratio says would pass the budget ends the step, so a message stays
 * below its limit (the budget itself sits well below the IC's 40 B: see {@link Config}).
 *
 * <p>The ratio rises at once when a unit costs more than estimated and falls slowly when it costs less, so an
 * unlucky unit (a garbage collection, a slower kind of work) makes the next estimates cautious.
 */
final class InstructionBudget implements StepBudget {
    /** Instructions per work unit assumed before any was measured (load measures it on one layer). */
    static final double INITIAL_RATIO = 200;

    private final long limit;
    private final long start;
    private double ratio;
    private long mark;
    private boolean spentAny;

    /**
     * @param limit instructions this message may use in all (the counter counts from the message's start)
     * @param ratio the current estimate of instructions per work unit
     */
    InstructionBudget(long limit, double ratio) {
        // keep a twentieth back for what follows the work: sampling, text decoding, the reply
        this.limit = limit - limit / 20;
        this.ratio = ratio;
        this.start = Message.instructions();
        this.mark = start;
    }

    @Override
    public long remaining() {
        if (!spentAny) {
            return capacity(); // the first unit of a step is measured against the whole step, as the session sizes it
        }
        long left = limit - Message.instructions();
        return left <= 0 ? 0 : (long) (left / ratio);
    }

    @Override
    public long capacity() {
        long left = limit - start;
        return left <= 0 ? 0 : (long) (left / ratio);
    }

    @Override
    public void spent(long units) {
        long now = Message.instructions();
        if (units > 0) {
            double observed = (double) (now - mark) / units;
            ratio = observed > ratio ? observed : ratio * 0.75 + observed * 0.25;
        }
        mark = now;
        spentAny = true;
    }

    /** The learned ratio, to start the next step with. */
    double ratio() {
        return ratio;
    }
}
