package dev.tealama.model;

import dev.tealama.testing.Reference;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Greedy agreement with llama.cpp where llama.cpp agrees with itself.
 *
 * <p>testdata/reference/teacher-forced.jsonl holds, for two llama.cpp builds (the AVX2 build that made the references
 * and an AVX-512 build), the argmax at each step of the reference sequence. Where the builds agree, our argmax must be
 * that token; where they disagree (a near-tie their summation orders decide differently), it must be one of theirs.
 * Free-running greedy ids must equal the reference up to the first such step.
 */
public final class TeacherForcedCheck {
    private TeacherForcedCheck() {
    }

    public static void check(LlamaModel model, Kernels kernels, String file) {
        List<Reference.TeacherForced> builds = Reference.teacherForced(file);
        Reference.TeacherForced first = builds.get(0);
        int[] ours = ReferenceRun.teacherForcedArgmax(model, kernels, NumericScheme.LLAMA_CPP, first.promptIds(),
                first.forcedIds());
        int firstDisagreement = ours.length;
        for (int step = 0; step < ours.length; step++) {
            boolean ok = false;
            boolean buildsAgree = true;
            StringBuilder theirs = new StringBuilder();
            for (Reference.TeacherForced b : builds) {
                ok |= b.argmax()[step] == ours[step];
                buildsAgree &= b.argmax()[step] == first.argmax()[step];
                theirs.append(' ').append(b.argmax()[step]).append(" (").append(b.build()).append(')');
            }
            if (!buildsAgree) {
                firstDisagreement = Math.min(firstDisagreement, step);
            }
            if (!ok) {
                fail(file + " step " + step + ": our argmax " + ours[step] + ", llama.cpp's:" + theirs);
            }
        }

        int[] free = ReferenceRun.greedy(model, kernels, NumericScheme.LLAMA_CPP, first.promptIds(), first.forcedIds().length);
        // beyond the first step the builds disagree on, each follows its own path: compare up to it
        int agreed = Math.min(firstDisagreement, free.length);
        assertArrayEquals(java.util.Arrays.copyOf(first.forcedIds(), agreed), java.util.Arrays.copyOf(free, agreed),
                file + ": free-running greedy ids");
    }
}
