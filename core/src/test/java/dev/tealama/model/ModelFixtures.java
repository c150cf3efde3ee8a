package dev.tealama.model;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.testing.TestData;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Loads test models once per JVM (the Llama 3 vocabulary takes a moment to parse). */
final class ModelFixtures {
    private static final Map<Path, LlamaModel> CACHE = new HashMap<>();

    private ModelFixtures() {
    }

    static synchronized LlamaModel load(Path file) {
        return CACHE.computeIfAbsent(file, f -> LlamaModel.load(new ArrayByteSource(TestData.readAll(f))));
    }

    static LlamaModel committed(String fileName) {
        return load(TestData.model(fileName));
    }
}
