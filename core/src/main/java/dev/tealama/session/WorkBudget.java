package dev.tealama.session;

/** A budget counted in work units only (tests, the JVM host). */
final class WorkBudget implements StepBudget {
    static final StepBudget UNLIMITED = new StepBudget() {
        @Override
        public long remaining() {
            return Long.MAX_VALUE;
        }

        @Override
        public long capacity() {
            return Long.MAX_VALUE;
        }
    };

    private final long capacity;
    private long remaining;

    WorkBudget(long units) {
        if (units <= 0) {
            throw new IllegalArgumentException("a step budget must be positive");
        }
        this.capacity = units;
        this.remaining = units;
    }

    @Override
    public long remaining() {
        return remaining;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public void spent(long units) {
        remaining = Math.max(0, remaining - units);
    }
}
