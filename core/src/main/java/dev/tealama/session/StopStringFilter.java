package dev.tealama.session;

import java.util.List;

/**
 * Passes generated text through, holding back any tail that could still grow into a stop string, and cuts the
 * text at the first stop string found. The held-back tail is released when it can no longer match or at the end.
 */
final class StopStringFilter {
    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    StopStringFilter(List<String> stops) {
        this.stops = stops;
    }

    boolean stopped() {
        return stopped;
    }

    /** Adds text; returns what may be emitted now. */
    String accept(String text) {
        if (stopped) {
            return "";
        }
        pending.append(text);
        int cut = firstMatch();
        if (cut >= 0) {
            stopped = true;
            String out = pending.substring(0, cut);
            pending.setLength(0);
            return out;
        }
        int keep = longestPossiblePrefixTail();
        String out = pending.substring(0, pending.length() - keep);
        pending.delete(0, pending.length() - keep);
        return out;
    }

    /** Releases what is held back (the generation ended without a stop string). */
    String flush() {
        String out = pending.toString();
        pending.setLength(0);
        return stopped ? "" : out;
    }

    private int firstMatch() {
        int best = -1;
        for (String s : stops) {
            int at = pending.indexOf(s);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    /** Length of the longest tail of the pending text that is a proper prefix of some stop string. */
    private int longestPossiblePrefixTail() {
        int best = 0;
        int len = pending.length();
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, len); k > best; k--) {
                if (tailEquals(len - k, s, k)) {
                    best = k;
                    break;
                }
            }
        }
        return best;
    }

    private boolean tailEquals(int from, String s, int k) {
        for (int i = 0; i < k; i++) {
            if (pending.charAt(from + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
