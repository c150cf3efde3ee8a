package dev.tealama.session;

/**
 * How much work one {@link GenerationSession#step} may do, in work units (one unit ≈ one weight multiply-add).
 *
 * <p>The JVM host passes {@link #unlimited()}. The canister passes a budget backed by
 * {@code ic0.performance_counter}, which converts the instructions left in the message into work units with a
 * measured instructions-per-unit ratio (it learns from {@link #spent}). Before each unit the session asks
 * {@link #remaining()}; a unit that does not fit ends the step.
 */
public interface StepBudget {

    /** Work units that may still be spent in this step. */
    long remaining();

    /** Work units a whole fresh step may spend (used to size prompt batches and split the output projection). */
    long capacity();

    /** Called after each unit of work with its estimated cost. */
    default void spent(long units) {
    }

    /** No limit: the step runs until the generation is done. */
    static StepBudget unlimited() {
        return WorkBudget.UNLIMITED;
    }

    /** A fixed allowance of {@code units} work units, counted down as units are spent. */
    static StepBudget ofWork(long units) {
        return new WorkBudget(units);
    }
}
