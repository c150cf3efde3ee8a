package dev.tealama.cli.canister;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deployment scripts: each explains itself with --help and refuses what it cannot do, saying why. */
class ScriptsTest {
    private static final List<String> SCRIPTS = List.of("canister-build", "canister-deploy", "canister-upload",
            "canister-generate");

    record Run(int exit, String output) {
    }

    /** Runs a script of the project's scripts/ with a PATH of the system's directories only (no dfx). */
    private static Run run(String script, String... args) throws IOException, InterruptedException {
        Path path = CanisterModule.project().resolve("scripts").resolve(script);
        List<String> command = new java.util.ArrayList<>(List.of("bash", path.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", "/usr/bin:/bin");
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), script + " did not finish");
        return new Run(p.exitValue(), output);
    }

    @Test
    void everyScriptHasHelp() throws Exception {
        for (String script : SCRIPTS) {
            Run help = run(script, "--help");
            assertEquals(0, help.exit(), script + ":\n" + help.output());
            assertTrue(help.output().contains("scripts/" + script), script + ":\n" + help.output());
            assertTrue(!help.output().contains("set -euo"), "only the usage block:\n" + help.output());
        }
    }

    @Test
    void misuseIsRefusedWithAReason() throws Exception {
        Run noModel = run("canister-upload");
        assertEquals(2, noModel.exit(), noModel.output());
        assertTrue(noModel.output().contains("the model file comes first"), noModel.output());
        Run unknown = run("canister-deploy", "--bogus");
        assertEquals(2, unknown.exit(), unknown.output());
        assertTrue(unknown.output().contains("unknown argument '--bogus'"), unknown.output());
    }

    @Test
    void withoutDfxTheScriptsThatNeedItSaySo() throws Exception {
        Run deploy = run("canister-deploy");
        assertEquals(1, deploy.exit(), deploy.output());
        assertTrue(deploy.output().contains("dfx is needed and not on the PATH"), deploy.output());
        Run upload = run("canister-upload", "model.gguf");
        assertEquals(1, upload.exit(), upload.output());
        assertTrue(upload.output().contains("dfx is needed"), upload.output());
    }
}
