package dev.tealama.canister.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a Wasm kernel call cost per element, printed for the benchmarks and held under a bound. */
final class KernelCost {
    private KernelCost() {
    }

    /** Prints {@code kernel}'s instructions per element and asserts they are below {@code bound}. */
    static void assertPerElement(String kernel, long instructions, long elements, double bound) {
        double perElement = (double) instructions / elements;
        System.out.printf("%s: %.2f instructions per element%n", kernel, perElement);
        assertTrue(perElement < bound, kernel + ": " + perElement + " instructions per element, not under " + bound);
    }
}
