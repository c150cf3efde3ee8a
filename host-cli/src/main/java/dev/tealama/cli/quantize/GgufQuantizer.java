package dev.tealama.cli.quantize;

import dev.tealama.TealamaException;
import dev.tealama.cli.store.MappedFileSource;
import dev.tealama.gguf.GgufFile;
import dev.tealama.gguf.GgufWriter;
import dev.tealama.gguf.TensorData;
import dev.tealama.gguf.TensorInfo;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.WeightQuantizer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Converts an F32/F16/BF16 GGUF model into a Q8_0 or Q4_0 one, writing the same bytes as llama.cpp's
 * {@code llama-quantize --pure IN OUT q8_0} (or {@code q4_0}):
 * <ul>
 *   <li>metadata copied in order, {@code split.*} removed, then {@code general.quantization_version} and
 *       {@code general.file_type} moved to the end with their new values (llama.cpp's {@code gguf_set_val_u32}
 *       removes a key and appends it);</li>
 *   <li>tensors in llama.cpp's order ({@link QuantizationRules#writeOrder}); weight matrices quantized, norms and
 *       other 1-D tensors copied; a matrix whose rows are not a whole number of 32-element blocks becomes F16, as
 *       in llama.cpp, with a warning;</li>
 *   <li>GGUF v3, data aligned as the input's {@code general.alignment} (32 by default).</li>
 * </ul>
 * Tensors stream from a mapping of the input to {@code OUT.tmp}, which is renamed to {@code OUT} at the end: a
 * failed run leaves no half-written model behind.
 */
public final class GgufQuantizer {
    private GgufQuantizer() {
    }

    /** What a quantization did. */
    public record Result(int tensors, int quantized, int fallbacks, long inputBytes, long outputBytes) {
    }

    /** Quantizes {@code in} to {@code type} into {@code out}; notes go to {@code log}. */
    public static Result quantize(Path in, Path out, GgmlType type, PrintStream log) {
        WeightQuantizer.of(type); // refuses types it cannot make, naming them
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        if (Files.isDirectory(out)) {
            throw new TealamaException("the output " + out + " is a directory; name the file to write");
        }
        Path directory = out.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw new TealamaException("cannot write " + out + ": the directory " + directory + " does not exist");
        }
        refuseToOverwrite(in, out);
        refuseToOverwrite(in, tmp);

        try (MappedFileSource source = MappedFileSource.open(in)) {
            GgufFile gguf;
            try {
                gguf = GgufFile.read(source);
            } catch (TealamaException e) {
                throw new TealamaException(in + ": " + e.getMessage(), e);
            }
            GgufWriter writer = new GgufWriter();
            writer.putAll(gguf.metadata());
            writer.remove("split.no").remove("split.count").remove("split.tensors.count");
            writer.remove("general.quantization_version")
                    .putUInt32("general.quantization_version", QuantizationRules.QUANTIZATION_VERSION);
            writer.remove("general.file_type").putUInt32("general.file_type", QuantizationRules.fileType(type));

            List<TensorInfo> tensors = QuantizationRules.writeOrder(gguf.tensors());
            int quantized = 0;
            int fallbacks = 0;
            for (int i = 0; i < tensors.size(); i++) {
                TensorInfo t = tensors.get(i);
                GgmlType target = QuantizationRules.targetType(t, type);
                TensorData data;
                if (target == t.type()) {
                    data = TensorData.copyOf(source, t.offset(), t.byteSize());
                } else {
                    requireFloat(in, t);
                    if (target != type) {
                        fallbacks++;
                        log.println("warning: " + t.name() + ": rows of " + t.dim(0) + " elements are not a multiple "
                                + "of " + type.blockSize() + ", as " + type + " needs; writing it as " + target
                                + " (as llama.cpp does)");
                    } else {
                        quantized++;
                    }
                    data = new ConvertedTensor(source, t, target);
                }
                writer.addTensor(t.name(), target, t.dims(), progress(log, i + 1, tensors.size(), t, target, data));
            }

            long outputBytes = writer.fileSize();
            write(writer, tmp, out);
            return new Result(tensors.size(), quantized, fallbacks, source.size(), outputBytes);
        }
    }

    private static void refuseToOverwrite(Path in, Path target) {
        try {
            if (Files.exists(target) && Files.isSameFile(in, target)) {
                throw new TealamaException("the output " + target + " is the input file; write the quantized model "
                        + "to another file");
            }
        } catch (IOException e) {
            throw new TealamaException("cannot check " + target + ": " + e.getMessage(), e);
        }
    }

    private static void requireFloat(Path in, TensorInfo t) {
        GgmlType type = t.type();
        if (type != GgmlType.F32 && type != GgmlType.F16 && type != GgmlType.BF16) {
            throw new TealamaException(in + ": tensor " + t.name() + " is already " + type + "; quantize converts "
                    + "F32, F16 and BF16 models (start from the unquantized file)");
        }
    }

    /** Logs a line when the writer reaches the tensor, as llama-quantize does. */
    private static TensorData progress(PrintStream log, int index, int count, TensorInfo t, GgmlType target,
                                       TensorData data) {
        return new TensorData() {
            @Override
            public long size() {
                return data.size();
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                log.println(String.format(Locale.ROOT, "[%4d/%4d] %-36s %-6s -> %-6s %s", index, count, t.name(),
                        t.type(), target, shape(t)));
                data.writeTo(out);
            }
        };
    }

    private static String shape(TensorInfo t) {
        StringBuilder s = new StringBuilder("[");
        for (int d = 0; d < t.nDims(); d++) {
            s.append(d > 0 ? ", " : "").append(t.dim(d));
        }
        return s.append(']').toString();
    }

    /** Writes to {@code tmp}, then renames it to {@code out}; removes {@code tmp} if anything fails. */
    private static void write(GgufWriter writer, Path tmp, Path out) {
        boolean done = false;
        try {
            try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                writer.writeTo(stream);
            }
            try {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (NoSuchFileException e) {
            throw new TealamaException("cannot write " + out + ": the directory "
                    + out.toAbsolutePath().getParent() + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new TealamaException("cannot write " + out + ": permission denied", e);
        } catch (IOException e) {
            throw new TealamaException("cannot write " + out + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is what matters
                }
            }
        }
    }
}
