package dev.tealama.cli;

import dev.tealama.TealamaException;
import dev.tealama.cli.store.HeapSource;
import dev.tealama.cli.store.MappedFileSource;
import dev.tealama.cli.store.SegmentSource;
import dev.tealama.gguf.GgufFile;
import dev.tealama.gguf.GgufMetadata;
import dev.tealama.gguf.MetadataText;
import dev.tealama.gguf.MetadataValue;
import dev.tealama.gguf.MetadataValue.ArrayValue;
import dev.tealama.gguf.TensorInfo;
import dev.tealama.tensor.GgmlType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tealama inspect}: what a GGUF file holds — a summary, the metadata and the tensor table — as text for
 * people or as JSON for programs. Reads only the header; works on any GGUF file, runnable or not.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        description = {"Show a GGUF file's summary, metadata and tensors.", "",
                "Long arrays (the vocabulary) are shortened to their first elements unless --full.", ""})
final class InspectCommand implements Callable<Integer> {
    /** Array elements shown when arrays are shortened. */
    static final int SHOWN_ELEMENTS = 8;
    /** Characters of a string shown in the text form (the chat template can be long). */
    private static final int SHOWN_STRING_CHARS = 120;

    @ParentCommand
    private Main main;

    @Mixin
    private ModelFileOption file;

    @Option(names = "--json", description = "Print JSON: every metadata key with its type and value, every tensor.")
    private boolean json;

    @Option(names = "--full", description = "Print arrays and strings in full.")
    private boolean full;

    @Override
    public Integer call() {
        PrintStream out = main.terminal().out();
        try (SegmentSource source = open()) {
            GgufFile gguf = read(source);
            Summary summary = Summary.of(gguf);
            if (json) {
                printJson(out, gguf, summary);
            } else {
                printText(out, gguf, summary);
            }
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private GgufFile read(SegmentSource source) {
        try {
            return GgufFile.read(source);
        } catch (TealamaException e) {
            throw new TealamaException(file.displayName() + ": " + e.getMessage(), e);
        }
    }

    private SegmentSource open() {
        if (file.isEmbedded()) {
            return HeapSource.of(ModelFileOption.embeddedModel());
        }
        return MappedFileSource.open(ModelFileOption.requireReadableFile(file.path(), "model file"));
    }

    private String fileName() {
        return file.isEmbedded() ? ModelFileOption.EMBEDDED_NAME + " (embedded)" : file.path().toString();
    }

    /** What the tensors add up to. */
    record Summary(String architecture, String name, long parameters, long tensorBytes, Map<GgmlType, Integer> types) {
        static Summary of(GgufFile gguf) {
            long parameters = 0;
            long bytes = 0;
            Map<GgmlType, Integer> types = new EnumMap<>(GgmlType.class);
            for (TensorInfo t : gguf.tensors()) {
                parameters += t.elementCount();
                bytes += t.byteSize();
                types.merge(t.type(), 1, Integer::sum);
            }
            GgufMetadata meta = gguf.metadata();
            return new Summary(text(meta, "general.architecture"), text(meta, "general.name"), parameters, bytes,
                    types);
        }

        private static String text(GgufMetadata meta, String key) {
            return meta.get(key) instanceof MetadataValue.StringValue s ? s.value() : null;
        }

        String typesText() {
            StringBuilder s = new StringBuilder();
            types.forEach((type, n) -> s.append(s.length() > 0 ? ", " : "").append(type).append(" x").append(n));
            return s.length() == 0 ? "none" : s.toString();
        }
    }

    private void printText(PrintStream out, GgufFile gguf, Summary summary) {
        int elements = full ? Integer.MAX_VALUE : SHOWN_ELEMENTS;
        int chars = full ? Integer.MAX_VALUE : SHOWN_STRING_CHARS;
        out.println("file:          " + fileName());
        out.println("format:        GGUF v" + gguf.version() + ", " + Sizes.bytes(gguf.source().size()) + " ("
                + Sizes.count(gguf.source().size()) + " bytes), alignment " + gguf.alignment() + ", data at byte "
                + Sizes.count(gguf.dataOffset()));
        out.println("architecture:  " + (summary.architecture() == null ? "(none)" : summary.architecture()));
        if (summary.name() != null) {
            out.println("name:          " + summary.name());
        }
        out.println("parameters:    " + Sizes.parameters(summary.parameters()) + " (" + Sizes.count(summary.parameters())
                + ") in " + gguf.tensors().size() + " tensors, " + Sizes.bytes(summary.tensorBytes()));
        out.println("tensor types:  " + summary.typesText());

        out.println();
        out.println("metadata (" + gguf.metadata().size() + " keys):");
        int keyWidth = 0;
        for (String key : gguf.metadata().keys()) {
            keyWidth = Math.max(keyWidth, key.length());
        }
        for (String key : gguf.metadata().keys()) {
            MetadataValue value = gguf.metadata().get(key);
            out.println("  " + pad(key, keyWidth) + "  " + pad(typeText(value), 14) + " "
                    + MetadataText.display(value, elements, chars));
        }

        out.println();
        out.println("tensors (" + gguf.tensors().size() + "):");
        String[][] rows = new String[gguf.tensors().size() + 1][];
        rows[0] = new String[] {"name", "type", "shape", "offset", "size"};
        for (int i = 0; i < gguf.tensors().size(); i++) {
            TensorInfo t = gguf.tensors().get(i);
            rows[i + 1] = new String[] {t.name(), t.type().toString(), shapeText(t), Sizes.count(t.offset()),
                    Sizes.bytes(t.byteSize())};
        }
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            out.println("  " + pad(row[0], widths[0]) + "  " + pad(row[1], widths[1]) + "  " + pad(row[2], widths[2])
                    + "  " + padLeft(row[3], widths[3]) + "  " + padLeft(row[4], widths[4]));
        }
    }

    /** The type as ggml prints it: {@code u32}, {@code str}, {@code arr[str,128256]}. */
    private static String typeText(MetadataValue value) {
        if (value instanceof ArrayValue a) {
            return "arr[" + a.elementType().shortName() + "," + a.size() + "]";
        }
        return value.type().shortName();
    }

    private static String shapeText(TensorInfo t) {
        StringBuilder s = new StringBuilder();
        for (int d = 0; d < t.nDims(); d++) {
            s.append(d > 0 ? " x " : "").append(t.dim(d));
        }
        return s.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    private void printJson(PrintStream out, GgufFile gguf, Summary summary) {
        int elements = full ? Integer.MAX_VALUE : SHOWN_ELEMENTS;
        StringBuilder j = new StringBuilder();
        j.append("{\n");
        j.append("  \"file\": ").append(MetadataText.jsonString(fileName())).append(",\n");
        j.append("  \"size\": ").append(gguf.source().size()).append(",\n");
        j.append("  \"version\": ").append(gguf.version()).append(",\n");
        j.append("  \"alignment\": ").append(gguf.alignment()).append(",\n");
        j.append("  \"data_offset\": ").append(gguf.dataOffset()).append(",\n");
        j.append("  \"kv_count\": ").append(gguf.metadata().size()).append(",\n");
        j.append("  \"tensor_count\": ").append(gguf.tensors().size()).append(",\n");
        j.append("  \"summary\": {\"architecture\": ").append(jsonOrNull(summary.architecture()))
                .append(", \"name\": ").append(jsonOrNull(summary.name()))
                .append(", \"parameters\": ").append(summary.parameters())
                .append(", \"tensor_bytes\": ").append(summary.tensorBytes())
                .append(", \"types\": {");
        boolean firstType = true;
        for (Map.Entry<GgmlType, Integer> e : summary.types().entrySet()) {
            j.append(firstType ? "" : ", ").append('"').append(e.getKey()).append("\": ").append(e.getValue());
            firstType = false;
        }
        j.append("}},\n");

        j.append("  \"metadata\": {");
        boolean firstKey = true;
        for (String key : gguf.metadata().keys()) {
            MetadataValue value = gguf.metadata().get(key);
            j.append(firstKey ? "\n" : ",\n").append("    ").append(MetadataText.jsonString(key)).append(": {\"type\": \"")
                    .append(value.type()).append('"');
            if (value instanceof ArrayValue a) {
                j.append(", \"element_type\": \"").append(a.elementType()).append("\", \"count\": ").append(a.size())
                        .append(", \"truncated\": ").append(a.size() > elements)
                        .append(", \"values\": ").append(MetadataText.json(a, elements));
            } else {
                j.append(", \"value\": ").append(MetadataText.json(value));
            }
            j.append('}');
            firstKey = false;
        }
        j.append(firstKey ? "},\n" : "\n  },\n");

        j.append("  \"tensors\": [");
        boolean firstTensor = true;
        for (TensorInfo t : gguf.tensors()) {
            j.append(firstTensor ? "\n" : ",\n").append("    {\"name\": ").append(MetadataText.jsonString(t.name()))
                    .append(", \"type\": \"").append(t.type()).append("\", \"shape\": [");
            for (int d = 0; d < t.nDims(); d++) {
                j.append(d > 0 ? ", " : "").append(t.dim(d));
            }
            j.append("], \"offset\": ").append(t.offset()).append(", \"size\": ").append(t.byteSize()).append('}');
            firstTensor = false;
        }
        j.append(firstTensor ? "]\n" : "\n  ]\n");
        j.append("}");
        out.println(j);
    }

    private static String jsonOrNull(String s) {
        return s == null ? "null" : MetadataText.jsonString(s);
    }
}
