package dev.tealama.cli;

import dev.tealama.cli.quantize.GgufQuantizer;
import dev.tealama.tensor.GgmlType;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tealama quantize IN OUT --type Q8_0|Q4_0}: llama-quantize --pure, byte for byte. */
@Command(name = "quantize", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        description = {"Quantize an F32, F16 or BF16 GGUF model to Q8_0 or Q4_0.", "",
                "Writes the same file as llama.cpp's 'llama-quantize --pure IN OUT q8_0' (or q4_0): weight "
                        + "matrices quantized, norms kept. Streams tensor by tensor; OUT appears only when complete.",
                ""})
final class QuantizeCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Parameters(index = "0", paramLabel = "IN", description = "The model to quantize (F32, F16 or BF16 weights).")
    private Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write (not IN).")
    private Path out;

    @Option(names = "--type", required = true, paramLabel = "Q8_0|Q4_0", converter = TargetType.class,
            description = "Q8_0: 8.5 bits per weight, nearly lossless; Q4_0: 4.5 bits per weight.")
    private GgmlType type;

    @Override
    public Integer call() {
        PrintStream log = main.terminal().err();
        ModelFileOption.requireReadableFile(in, "input file");
        long start = System.nanoTime();
        GgufQuantizer.Result r = GgufQuantizer.quantize(in, out, type, log);
        log.println("wrote " + out + ": " + Sizes.bytes(r.inputBytes()) + " -> " + Sizes.bytes(r.outputBytes())
                + "; " + r.quantized() + " of " + r.tensors() + " tensors quantized to " + type
                + (r.fallbacks() > 0 ? ", " + r.fallbacks() + " written as F16 (rows not a multiple of "
                + type.blockSize() + ")" : "") + ", in " + Sizes.millis(System.nanoTime() - start));
        return Main.EXIT_OK;
    }

    /** {@code Q8_0} or {@code Q4_0}, any case. */
    static final class TargetType implements ITypeConverter<GgmlType> {
        @Override
        public GgmlType convert(String value) {
            for (GgmlType t : new GgmlType[] {GgmlType.Q8_0, GgmlType.Q4_0}) {
                if (t.name().equalsIgnoreCase(value)) {
                    return t;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a quantization type Tealama writes "
                    + "(Q8_0 or Q4_0)");
        }
    }
}
