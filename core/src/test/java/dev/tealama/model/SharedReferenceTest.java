package dev.tealama.model;

import dev.tealama.testing.GeneratedModels;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The remaining tiny models of ../shared (F16, BF16, Q4_1, tinyk F32 / Q8_0 / Q6_K), generated or read from there,
 * against llama.cpp's references in ../shared/reference: same checks as {@link LlamaCppReferenceTest}.
 */
@Tag("extended")
class SharedReferenceTest {

    static final Iterable<ReferenceModels> MODELS = ReferenceModels.EXTENDED;

    @ParameterizedTest
    @FieldSource("MODELS")
    void greedyTokensEqualLlamaCpp(ReferenceModels m) {
        LlamaCppReferenceTest.check(m, GeneratedModels.get(m.file()), TestData.shared().resolve("reference"));
    }
}
