package dev.tealama.cli;

import dev.tealama.testing.GeneratedModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Extended: F16 and BF16 inputs, which are not committed ({@link GeneratedModels} makes them with
 * ../shared/tools and checks their SHA-256); quantized, they must give llama-quantize's bytes
 * (testdata/reference/quantize.sha256).
 */
@Tag("extended")
class QuantizeFloat16InputsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"F16, Q8_0", "F16, Q4_0", "BF16, Q8_0", "BF16, Q4_0"})
    void sameBytesAsLlamaQuantize(String inputType, String type) throws Exception {
        Path in = GeneratedModels.get("tiny-llama3-" + inputType + ".gguf");
        Path out = dir.resolve("out.gguf");
        Tealama.run("quantize", in.toString(), out.toString(), "--type", type).assertSuccess();
        assertEquals(QuantizeCommandTest.llamaQuantizeSha256(in.getFileName().toString(), type),
                QuantizeCommandTest.sha256(out));
    }
}
