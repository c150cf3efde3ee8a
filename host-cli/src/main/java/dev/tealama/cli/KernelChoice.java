package dev.tealama.cli;

import dev.tealama.cli.kernels.HostKernels;
import dev.tealama.model.Kernels;
import dev.tealama.model.ScalarKernels;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Which matrix-vector kernels compute the forward pass ({@code --kernels}). */
public enum KernelChoice {
    /** The JVM host's fast kernels (Vector API), rows split over {@code --threads}. */
    VECTOR("vector"),
    /** core's deterministic reference kernels, one thread: the canister's arithmetic, for parity checks. */
    SCALAR("scalar");

    private final String cliName;

    KernelChoice(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** New kernels of this kind; close them (if {@link AutoCloseable}) to stop their threads. */
    public Kernels create(int threads) {
        return this == VECTOR ? new HostKernels(threads) : new ScalarKernels();
    }

    @Override
    public String toString() {
        return cliName;
    }

    /** Picocli converter: {@code vector} or {@code scalar}. */
    static final class Converter implements ITypeConverter<KernelChoice> {
        @Override
        public KernelChoice convert(String value) {
            for (KernelChoice k : values()) {
                if (k.cliName.equalsIgnoreCase(value)) {
                    return k;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a kernel set (vector or scalar)");
        }
    }
}
