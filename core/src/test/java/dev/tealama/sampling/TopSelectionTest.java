package dev.tealama.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tealama.model.Kernels;
import dev.tealama.model.ScalarKernels;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The selection over all ids (its fast path, with or without the kernels' scan) chooses what the general selection
 * over the same ids chooses.
 */
class TopSelectionTest {
    /** Kernels.firstAbove's default scan (a host's kernels must return the same index). */
    private static final Kernels KERNELS = new ScalarKernels();

    @Test
    void allIdsGiveTheGeneralSelectionsResult() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 300; round++) {
            int count = 1 + random.nextInt(round < 200 ? 60 : 5000);
            float[] scores = new float[count];
            int kind = round % 4;
            for (int i = 0; i < count; i++) {
                scores[i] = switch (kind) {
                    case 0 -> (float) random.nextGaussian();
                    case 1 -> random.nextInt(4); // many ties: the lower id must win
                    case 2 -> random.nextBoolean() ? 0f : -0f;
                    default -> random.nextInt(5) == 0 ? Float.NEGATIVE_INFINITY : (float) random.nextGaussian();
                };
            }
            int[] ids = new int[count];
            Arrays.setAll(ids, i -> i);
            for (int m : new int[] {1, Math.min(count, 2), Math.min(count, 40), count}) {
                int[] general = new int[m];
                int[] all = new int[m];
                int[] withKernels = new int[m];
                TopSelection.selectBest(scores, ids, count, m, general);
                TopSelection.selectBest(scores, null, count, m, all);
                TopSelection.selectBest(scores, null, count, m, withKernels, KERNELS);
                assertArrayEquals(general, all, "count " + count + ", m " + m + ", kind " + kind);
                assertArrayEquals(general, withKernels, "with kernels: count " + count + ", m " + m + ", kind " + kind);
            }
        }
    }
}
