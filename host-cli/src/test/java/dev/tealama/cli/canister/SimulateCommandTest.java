package dev.tealama.cli.canister;

import dev.tealama.cli.Main;
import dev.tealama.testing.Reference;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tealama canister simulate}: the built module in the metered local IC host, no replica. The text is
 * llama.cpp's greedy reference; the report has the figures a user needs before deploying.
 */
class SimulateCommandTest {

    @Test
    void storiesInTheLocalIcHost() {
        Reference.Greedy ref = Reference.greedy(TestData.root().resolve("reference"), "stories260K.gguf");
        Cli run = Cli.run("canister", "simulate", TestData.model("stories260K.gguf").toString(), "--raw", "--temp", "0",
                "-n", Integer.toString(ref.genIds().length), ref.prompt(), "--wasm", CanisterModule.path().toString())
                .assertSuccess();
        assertEquals(ref.text(), run.out());
        String err = run.err();
        for (String line : new String[] {"load:                 1 call", "per prompt token:     ",
                "per generated token:  ", "tokens per 40 B call: ", "cycles per token:     ≈ ",
                "1 cycle per Wasm instruction + 5 M cycles per update call", "largest message:      "}) {
            assertTrue(err.contains(line), "'" + line + "' in:\n" + err);
        }
        assertTrue(err.contains("this run:             " + ref.promptIds().length + " prompt tokens, "
                + ref.genIds().length + " generated"), err);
        // the figures hang together: tokens per call = 40 B / instructions per generated token
        double perToken = number(err, "per generated token:  ([0-9.]+) M instructions") * 1e6;
        long perCall = (long) number(err, "tokens per 40 B call: ([0-9,]+) ");
        assertTrue(Math.abs(perCall - 40e9 / perToken) <= perCall * 0.01 + 1, perCall + " vs " + 40e9 / perToken);
    }

    @Test
    void theModuleIsFoundBesideThisBuild() {
        assertTrue(CanisterWasm.candidates().contains(CanisterModule.path().toAbsolutePath()),
                CanisterWasm.candidates().toString());
    }

    @Test
    void aFileThatIsNotAModelIsRefusedBeforeAnythingRuns(@TempDir Path dir) throws IOException {
        Path notGguf = Files.writeString(dir.resolve("notes.gguf"), "not a model");
        Cli.run("canister", "simulate", notGguf.toString()).assertFailure(Main.EXIT_ERROR,
                "is not a model the canister can load", "nothing was sent");
    }

    @Test
    void aMissingModuleIsNamed(@TempDir Path dir) {
        Cli.run("canister", "simulate", TestData.model("stories260K.gguf").toString(), "--wasm",
                dir.resolve("none.wasm").toString()).assertFailure(Main.EXIT_ERROR, "none.wasm (--wasm) does not exist");
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in:\n" + text);
        return Double.parseDouble(m.group(1).replace(",", ""));
    }
}
