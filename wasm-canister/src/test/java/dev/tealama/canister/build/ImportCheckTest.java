package dev.tealama.canister.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build's post-processing (tools/finish.mjs, binaryen.js) refuses a module that imports anything but ic0
 * functions, and strips exports that are not canister_* methods. Runs the same node script the build runs.
 */
class ImportCheckTest {
    @TempDir
    Path dir;

    private record Run(int exit, String output) {
    }

    private Run finish(String wat) throws IOException, InterruptedException {
        Path source = dir.resolve("m.wat");
        Files.writeString(source, wat);
        Path wasm = dir.resolve("m.wasm");
        Process w = new ProcessBuilder("wat2wasm", source.toString(), "-o", wasm.toString()).redirectErrorStream(true)
                .start();
        assertEquals(0, w.waitFor(), new String(w.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Process p = new ProcessBuilder("node", Path.of("tools/finish.mjs").toAbsolutePath().toString(), "strip",
                wasm.toString(), dir.resolve("out.wasm").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void aNonIc0ImportFailsTheBuild() throws Exception {
        Run r = finish("(module (import \"teavmMath\" \"tan\" (func $tan (param f64) (result f64)))"
                + " (func (export \"canister_query t\") (drop (call $tan (f64.const 1)))))");
        assertEquals(1, r.exit());
        assertTrue(r.output().contains("teavmMath.tan"), r.output());
    }

    @Test
    void onlyCanisterExportsRemainAndIc0ImportsPass() throws Exception {
        Run r = finish("(module (import \"ic0\" \"msg_reply\" (func $reply))"
                + " (func (export \"canister_update ok\") (call $reply))"
                + " (func (export \"teavm_gc_collect\")))");
        assertEquals(0, r.exit(), r.output());
        Process d = new ProcessBuilder("wasm-objdump", "-x", dir.resolve("out.wasm").toString()).start();
        String dump = new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        d.waitFor();
        assertTrue(dump.contains("canister_update ok"), dump);
        assertTrue(!dump.contains("teavm_gc_collect"), dump);
    }

    @Test
    void aCanisterExportWithArgumentsFailsTheBuild() throws Exception {
        Run r = finish("(module (func (export \"canister_update bad\") (param i32)))");
        assertEquals(1, r.exit());
        assertTrue(r.output().contains("() -> ()"), r.output());
    }
}
