package dev.tealama.gguf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every model in {@code ../shared/models} (more than are committed) reads into a consistent file. */
@Tag("extended")
class SharedModelsTest {

    @Test
    void readsEverySharedModel() throws IOException {
        List<Path> models;
        try (Stream<Path> files = Files.list(TestData.shared().resolve("models"))) {
            models = files.filter(p -> p.toString().endsWith(".gguf")).sorted().toList();
        }
        assertFalse(models.isEmpty());
        for (Path model : models) {
            byte[] bytes = Files.readAllBytes(model);
            GgufFile f = GgufFile.read(new ArrayByteSource(bytes));
            assertTrue(f.metadata().contains("general.architecture"), model.toString());
            GgufFuzzTest.parsesOrFailsCleanly(bytes);
        }
    }
}
