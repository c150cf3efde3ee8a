package dev.tealama.ichost;

/** How Chicory runs the canister's Wasm. Both count instructions the same way (see {@link MeteringInstrumenter}). */
public enum ExecutionMode {
    /**
     * Chicory's compiler: Wasm functions become JVM bytecode when the module is installed (30-60 times faster than
     * the interpreter). Functions too large for one JVM method run in the interpreter.
     */
    COMPILED,
    /** Chicory's interpreter: slow (about 50 M instructions/s), for comparisons and debugging. */
    INTERPRETED,
    /**
     * The reference count: the module as given, not instrumented, run by Chicory's interpreter, which reports every
     * instruction it executes to a listener that counts them (and traps the message past its limit). The slowest
     * mode; it exists to check that the instrumented count is the same. Not for modules that use 128-bit SIMD
     * (Chicory's interpreter runs none; {@link CanisterModule#prepare} refuses them by name).
     */
    REFERENCE
}
