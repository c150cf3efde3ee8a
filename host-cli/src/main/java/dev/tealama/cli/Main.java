package dev.tealama.cli;

import dev.tealama.TealamaException;
import dev.tealama.cli.canister.CanisterCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Properties;

/**
 * The {@code tealama} program: picocli parses the command line and runs one of the subcommands; this class maps
 * what can go wrong to a message and an exit code, so that a user never sees a Java stack trace:
 * <ul>
 *   <li>{@value #EXIT_OK}: success;</li>
 *   <li>{@value #EXIT_ERROR}: a problem the user can act on ({@link TealamaException}: a bad file, a prompt longer
 *       than the context, ...; and running out of memory), printed as {@code tealama: <message>};</li>
 *   <li>{@value #EXIT_USAGE}: a usage error (unknown option, bad option value): the message, then the command's
 *       synopsis;</li>
 *   <li>{@value #EXIT_INTERNAL}: anything else, which is a bug in Tealama: one line naming the exception; the stack
 *       trace only with {@code --verbose}.</li>
 * </ul>
 *
 * <p>Subcommands reach the process's streams through {@link #terminal()} (picocli injects this object into their
 * {@code @ParentCommand} field), so tests run them in-process with their own streams ({@link #execute}).
 */
@Command(name = "tealama",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {"Llama inference in pure Java: runs Llama-family GGUF models on the JVM.", ""},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Without -m, run and chat use the embedded model (stories260K, a tiny story writer).",
                "Run 'tealama COMMAND --help' for a command's options."},
        subcommands = {RunCommand.class, ChatCommand.class, InspectCommand.class, QuantizeCommand.class,
                BenchCommand.class, CanisterCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 3;

    private static final String VERBOSE = "--verbose";

    private final Terminal terminal;

    @Spec
    private CommandSpec spec;

    @Option(names = VERBOSE, scope = ScopeType.INHERIT,
            description = "Print the stack trace when something fails unexpectedly.")
    private boolean verbose;

    public Main(Terminal terminal) {
        this.terminal = terminal;
    }

    /** The streams of this run. */
    public Terminal terminal() {
        return terminal;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        Terminal terminal = Terminal.system();
        int code = execute(terminal, args);
        System.exit(code);
    }

    /** Runs {@code tealama args...} with the given streams and returns the exit code. */
    public static int execute(Terminal terminal, String... args) {
        return execute(commandLine(terminal), terminal, args);
    }

    /**
     * Runs {@code args} on a command line made by {@link #commandLine(Terminal)} (tests reach the subcommands'
     * objects through it afterwards) and returns the exit code.
     */
    public static int execute(CommandLine commandLine, Terminal terminal, String... args) {
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            // Picocli hands only Exceptions to the handlers; Errors arrive here.
            return reportOutOfMemory(terminal.err(), e, verbose(commandLine.getParseResult()));
        } catch (Error e) {
            return reportInternal(terminal.err(), e, verbose(commandLine.getParseResult()));
        } finally {
            terminal.out().flush();
            terminal.err().flush();
        }
    }

    /** The configured command line, for tests that want to reach a subcommand's object after it ran. */
    public static CommandLine commandLine(Terminal terminal) {
        CommandLine commandLine = new CommandLine(new Main(terminal));
        commandLine.setOut(new PrintWriter(terminal.out(), true));
        commandLine.setErr(new PrintWriter(terminal.err(), true));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(Main::reportUsageError);
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            if (e instanceof ParameterException usage) {
                return reportUsageError(usage, new String[0]);
            }
            boolean verbose = verbose(parseResult);
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof OutOfMemoryError oom) { // e.g. in a kernel thread, wrapped on its way here
                    return reportOutOfMemory(terminal.err(), oom, verbose);
                }
            }
            if (e instanceof TealamaException) {
                terminal.err().println("tealama: " + e.getMessage());
                if (verbose) {
                    e.printStackTrace(terminal.err());
                }
                return EXIT_ERROR;
            }
            return reportInternal(terminal.err(), e, verbose);
        });
        return commandLine;
    }

    private static int reportUsageError(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("tealama: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        String heading = "Usage: ";
        err.print(heading + commandLine.getHelp().synopsis(heading.length()));
        err.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return EXIT_USAGE;
    }

    private static int reportOutOfMemory(PrintStream err, OutOfMemoryError e, boolean verbose) {
        long maxHeap = Runtime.getRuntime().maxMemory();
        err.println("tealama: out of memory (" + e.getMessage() + "): the JVM's heap (at most "
                + Sizes.bytes(maxHeap) + ") cannot hold the model's buffers. Raise it (TEALAMA_JVM_OPTS=-Xmx"
                + Math.max(2, 2 * (maxHeap >> 30) + 1) + "g), keep the weights out of the heap (--weights mmap), "
                + "or use a smaller context (--ctx-size).");
        if (verbose) {
            e.printStackTrace(err);
        }
        return EXIT_ERROR;
    }

    private static int reportInternal(PrintStream err, Throwable e, boolean verbose) {
        err.println("tealama: internal error: " + e.getClass().getName() + ": " + e.getMessage()
                + (verbose ? "" : " (run with " + VERBOSE + " for the stack trace)"));
        if (verbose) {
            e.printStackTrace(err);
        }
        return EXIT_INTERNAL;
    }

    /** Whether {@code --verbose} was given to the program or any of its subcommands. */
    private static boolean verbose(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /** The version Maven wrote into {@code version.properties}, and the Java runtime. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tealama " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }

        static String version() {
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    return "(unknown version)";
                }
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "(unknown version)");
            } catch (IOException e) {
                return "(unknown version)";
            }
        }
    }
}
