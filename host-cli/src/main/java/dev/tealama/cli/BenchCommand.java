package dev.tealama.cli;

import dev.tealama.cli.bench.LlamaBench;
import dev.tealama.cli.bench.ModelBenchmark;
import dev.tealama.cli.bench.PeakMemory;
import dev.tealama.cli.bench.Throughput;
import dev.tealama.gguf.MetadataText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code tealama bench}: prompt processing and generation speed, measured as llama.cpp's {@code llama-bench} does
 * (see {@link ModelBenchmark}), with the load time, the peak resident memory and what ran (kernels, threads,
 * weights). Optionally runs llama-bench itself on the same file with the same tests and prints both side by side
 * with the ratios. Results go to standard output (a table, or JSON with {@code --json}); progress to standard error.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        description = {"Measure prompt processing and generation speed (tokens per second).", "",
                "Like llama-bench: ppN processes N random prompt tokens from an empty context (in batches of "
                        + "--batch-size), tgN generates N tokens one at a time; each test runs --repetitions times "
                        + "after an untimed warmup, and the mean ± standard deviation is reported.", ""},
        footer = {"", "Examples:",
                "  tealama bench -m llama3.2-1b-Q4_0.gguf",
                "  tealama bench -m model.gguf -t 2 -r 3 --json",
                "  tealama bench -m model.gguf --compare-llama-bench ~/llama.cpp/build/bin/llama-bench"})
final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOptions modelOptions;

    @Option(names = {"-p", "--n-prompt"}, paramLabel = "N", description = "Prompt tokens of the pp test; 0 skips it "
            + "(default: ${DEFAULT-VALUE}).")
    private int promptTokens = 512;

    @Option(names = {"-n", "--n-gen"}, paramLabel = "N", description = "Generated tokens of the tg test; 0 skips it "
            + "(default: ${DEFAULT-VALUE}).")
    private int generatedTokens = 128;

    @Option(names = {"-r", "--repetitions"}, paramLabel = "N", description = "Timed runs of each test "
            + "(default: ${DEFAULT-VALUE}).")
    private int repetitions = 5;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", description = "Prompt tokens evaluated together "
            + "(default: ${DEFAULT-VALUE}, llama-bench's micro-batch).")
    private int batchSize = 512;

    @Option(names = "--json", description = "Print the results as JSON.")
    private boolean json;

    @Option(names = "--compare-llama-bench", paramLabel = "PATH",
            description = "Also run this llama-bench on the same file, tests and threads; print both and the ratios.")
    private Path llamaBench;

    @Override
    public Integer call() {
        modelOptions.validate();
        validate();
        PrintStream log = main.terminal().err();
        PrintStream out = main.terminal().out();
        Results results;
        try (LoadedModel model = modelOptions.load(log)) {
            int context = contextSize();
            int batch = Math.max(1, Math.min(batchSize, Math.max(promptTokens, 1)));
            ModelBenchmark bench = new ModelBenchmark(model.newForwardPass(context, batch, log), 42);
            log.println("warming up ...");
            bench.warmUp(promptTokens, generatedTokens);
            List<Throughput> ours = new ArrayList<>();
            if (promptTokens > 0) {
                log.println("running " + Throughput.name(promptTokens, 0) + " x " + repetitions + " ...");
                ours.add(bench.prompt(promptTokens, repetitions));
            }
            if (generatedTokens > 0) {
                log.println("running " + Throughput.name(0, generatedTokens) + " x " + repetitions + " ...");
                ours.add(bench.generation(generatedTokens, repetitions));
            }
            results = new Results(model.name(), model.source().size(), model.storage(), model.kernels().name(),
                    modelOptions.threads(), NumericsConverter.cliName(model.numerics()), batch, context,
                    model.loadNanos(), PeakMemory.residentBytes(), ours, null);
        }
        if (llamaBench != null) {
            log.println("running llama-bench " + llamaBench + " ...");
            LlamaBench.Report report = LlamaBench.run(llamaBench, modelOptions.file().path(), modelOptions.threads(),
                    promptTokens, generatedTokens, repetitions);
            results = results.withLlamaBench(report);
        }
        if (json) {
            printJson(out, results);
        } else {
            printText(out, results);
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private void validate() {
        if (promptTokens < 0 || generatedTokens < 0) {
            throw usage("--n-prompt and --n-gen must not be negative");
        }
        if (promptTokens == 0 && generatedTokens == 0) {
            throw usage("nothing to measure: --n-prompt and --n-gen are both 0");
        }
        if (repetitions < 1) {
            throw usage("--repetitions must be at least 1, got " + repetitions);
        }
        if (batchSize < 1) {
            throw usage("--batch-size must be at least 1, got " + batchSize);
        }
        if (llamaBench != null && modelOptions.file().isEmbedded()) {
            throw usage("--compare-llama-bench needs a model file (-m FILE) that llama-bench can read");
        }
        Integer context = modelOptions.requestedContextSize();
        if (context != null && context < Math.max(promptTokens, generatedTokens)) {
            throw usage("--ctx-size " + context + " cannot hold the " + Math.max(promptTokens, generatedTokens)
                    + " tokens of a test");
        }
    }

    /** {@code --ctx-size}, or just enough for the longest test (each test starts from an empty context). */
    private int contextSize() {
        Integer context = modelOptions.requestedContextSize();
        return context != null ? context : Math.max(promptTokens, generatedTokens);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Everything one bench run found. */
    record Results(String model, long sizeBytes, String weights, String kernels, int threads, String numerics,
                   int batch, int context, long loadNanos, long peakRssBytes, List<Throughput> tealama,
                   LlamaBench.Report llamaCpp) {
        Results withLlamaBench(LlamaBench.Report report) {
            return new Results(model, sizeBytes, weights, kernels, threads, numerics, batch, context, loadNanos,
                    peakRssBytes, tealama, report);
        }
    }

    private static void printText(PrintStream out, Results r) {
        out.println("model:    " + r.model() + " (" + r.weights() + ", " + Sizes.bytes(r.sizeBytes()) + "), loaded in "
                + Sizes.millis(r.loadNanos()));
        out.println("kernels:  " + r.kernels() + ", numerics " + r.numerics() + ", prompt batch " + r.batch()
                + ", context " + Sizes.count(r.context()));
        out.println("peak RSS: " + (r.peakRssBytes() < 0 ? "unknown" : Sizes.bytes(r.peakRssBytes())));
        out.println();
        if (r.llamaCpp() == null) {
            table(out, new String[] {"test", "tealama t/s"}, r.tealama().stream()
                    .map(t -> new String[] {t.test(), rate(t)}).toList());
            return;
        }
        List<String[]> rows = new ArrayList<>();
        for (Throughput t : r.tealama()) {
            Throughput l = r.llamaCpp().result(t.test());
            rows.add(new String[] {t.test(), rate(t), l == null ? "-" : rate(l),
                    l == null || l.mean() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", t.mean() / l.mean())});
        }
        table(out, new String[] {"test", "tealama t/s", "llama.cpp t/s", "tealama / llama.cpp"}, rows);
        out.println();
        out.println("llama.cpp: llama-bench " + r.llamaCpp().build());
    }

    private static String rate(Throughput t) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", t.mean(), t.stddev());
    }

    /** A Markdown table, numbers right-aligned as llama-bench prints them. */
    private static void table(PrintStream out, String[] header, List<String[]> rows) {
        int[] widths = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            widths[c] = header[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder line = new StringBuilder("|");
        StringBuilder rule = new StringBuilder("|");
        for (int c = 0; c < header.length; c++) {
            line.append(' ').append(pad(header[c], widths[c], c > 0)).append(" |");
            rule.append(' ').append("-".repeat(Math.max(1, widths[c] - (c > 0 ? 1 : 0)))).append(c > 0 ? ":" : "")
                    .append(" |");
        }
        out.println(line);
        out.println(rule);
        for (String[] row : rows) {
            StringBuilder s = new StringBuilder("|");
            for (int c = 0; c < row.length; c++) {
                s.append(' ').append(pad(row[c], widths[c], c > 0)).append(" |");
            }
            out.println(s);
        }
    }

    private static String pad(String s, int width, boolean right) {
        String space = " ".repeat(Math.max(0, width - s.length()));
        return right ? space + s : s + space;
    }

    private static void printJson(PrintStream out, Results r) {
        StringBuilder j = new StringBuilder("{\n");
        j.append("  \"model\": ").append(MetadataText.jsonString(r.model())).append(",\n");
        j.append("  \"size_bytes\": ").append(r.sizeBytes()).append(",\n");
        j.append("  \"weights\": ").append(MetadataText.jsonString(r.weights())).append(",\n");
        j.append("  \"kernels\": ").append(MetadataText.jsonString(r.kernels())).append(",\n");
        j.append("  \"threads\": ").append(r.threads()).append(",\n");
        j.append("  \"numerics\": ").append(MetadataText.jsonString(r.numerics())).append(",\n");
        j.append("  \"batch\": ").append(r.batch()).append(",\n");
        j.append("  \"context\": ").append(r.context()).append(",\n");
        j.append("  \"load_ms\": ").append(number(r.loadNanos() / 1e6)).append(",\n");
        j.append("  \"peak_rss_bytes\": ").append(r.peakRssBytes() < 0 ? "null" : Long.toString(r.peakRssBytes()))
                .append(",\n");
        j.append("  \"results\": ").append(resultsJson(r.tealama(), "  "));
        if (r.llamaCpp() != null) {
            j.append(",\n  \"llama_bench\": {\n    \"build\": ").append(MetadataText.jsonString(r.llamaCpp().build()))
                    .append(",\n    \"results\": ").append(resultsJson(r.llamaCpp().results(), "    "))
                    .append(",\n    \"ratios\": {");
            boolean first = true;
            for (Throughput t : r.tealama()) {
                Throughput l = r.llamaCpp().result(t.test());
                if (l != null && l.mean() > 0) {
                    j.append(first ? "" : ", ").append('"').append(t.test()).append("\": ")
                            .append(number(t.mean() / l.mean()));
                    first = false;
                }
            }
            j.append("}\n  }");
        }
        j.append("\n}");
        out.println(j);
    }

    private static String resultsJson(List<Throughput> results, String indent) {
        StringBuilder j = new StringBuilder("[");
        for (int i = 0; i < results.size(); i++) {
            Throughput t = results.get(i);
            j.append(i == 0 ? "\n" : ",\n").append(indent).append("  {\"test\": \"").append(t.test())
                    .append("\", \"n_prompt\": ").append(t.promptTokens())
                    .append(", \"n_gen\": ").append(t.generatedTokens())
                    .append(", \"avg_ts\": ").append(number(t.mean()))
                    .append(", \"stddev_ts\": ").append(number(t.stddev()))
                    .append(", \"samples_ts\": [");
            for (int s = 0; s < t.samples().length; s++) {
                j.append(s == 0 ? "" : ", ").append(number(t.samples()[s]));
            }
            j.append("]}");
        }
        return j.append(results.isEmpty() ? "]" : "\n" + indent + "]").toString();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
