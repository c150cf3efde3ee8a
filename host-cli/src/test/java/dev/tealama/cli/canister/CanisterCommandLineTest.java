package dev.tealama.cli.canister;

import dev.tealama.cli.Main;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of {@code tealama canister}: help, and usage errors (exit 2) before anything connects. */
class CanisterCommandLineTest {

    @Test
    void helpListsTheCommands() {
        Cli help = Cli.run("canister", "--help").assertSuccess();
        for (String command : new String[] {"upload", "generate", "chat", "status", "info", "simulate"}) {
            assertTrue(help.out().contains("  " + command + " "), help.out());
        }
        Cli generate = Cli.run("canister", "generate", "--help").assertSuccess();
        for (String option : new String[] {"--temp", "--top-k", "--seed", "--stop", "--template", "--system", "--raw",
                "--ctx-size", "--network", "--url", "--canister", "--identity", "--retries"}) {
            assertTrue(generate.out().contains(option), option + " in:\n" + generate.out());
        }
    }

    @Test
    void usageErrorsExitWith2() {
        Cli.run("canister").assertFailure(Main.EXIT_USAGE, "a canister command is required");
        Cli.run("canister", "generate", "--network", "mars").assertFailure(Main.EXIT_USAGE, "--network");
        Cli.run("canister", "generate", "--url", "ftp://x").assertFailure(Main.EXIT_USAGE, "is not a replica URL");
        Cli.run("canister", "generate", "--temp", "-1").assertFailure(Main.EXIT_USAGE, "--temp");
        Cli.run("canister", "generate", "-p", "a", "b").assertFailure(Main.EXIT_USAGE, "either with -p");
        Cli.run("canister", "upload", "x.gguf", "--chunk-size", "2000000").assertFailure(Main.EXIT_USAGE,
                "--chunk-size must be between 1 and 1900000");
        Cli.run("canister", "status", "--retries", "-1").assertFailure(Main.EXIT_USAGE, "--retries");
    }

    @Test
    void aModelFileThatIsNotThereFailsBeforeConnecting() {
        Cli upload = Cli.run("canister", "upload", "missing.gguf", "--url", "http://127.0.0.1:1", "--canister",
                "rrkah-fqaaa-aaaaa-aaaaq-cai");
        upload.assertFailure(Main.EXIT_ERROR, "missing.gguf does not exist");
        assertEquals("", upload.out());
    }
}
