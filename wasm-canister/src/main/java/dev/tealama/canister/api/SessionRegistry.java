package dev.tealama.canister.api;

import dev.tealama.TealamaException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The live sessions, by id. A cap on their number bounds memory: when it is reached, the oldest finished session
 * is dropped to make room; if none has finished, starting another is refused.
 */
final class SessionRegistry {
    private final TreeMap<Long, Session> sessions = new TreeMap<>();
    private long nextId = 1;
    /** Instructions per work unit, learned by every step (the next step starts from it). */
    private double ratio = InstructionBudget.INITIAL_RATIO;

    long nextId() {
        return nextId;
    }

    double ratio() {
        return ratio;
    }

    void learned(double newRatio) {
        ratio = newRatio;
    }

    int size() {
        return sessions.size();
    }

    /** Makes room for one more session under {@code max}, or explains why there is none. */
    void makeRoom(int max) {
        while (sessions.size() >= max) {
            Long finished = null;
            for (Map.Entry<Long, Session> e : sessions.entrySet()) { // ascending ids: oldest first
                if (e.getValue().generation.isDone()) {
                    finished = e.getKey();
                    break;
                }
            }
            if (finished == null) {
                throw new TealamaException("too many sessions: " + sessions.size() + " are running (the limit is " + max
                        + "); finish or cancel one (session_cancel) first");
            }
            sessions.remove(finished);
        }
    }

    void add(Session s) {
        sessions.put(s.id, s);
        nextId = s.id + 1;
    }

    /** The caller's session {@code id}. */
    Session get(long id, byte[] caller) {
        Session s = sessions.get(id);
        if (s == null) {
            throw new TealamaException("no session " + id + " (it may have ended, been cancelled, or been dropped by an"
                    + " upgrade or a new upload)");
        }
        if (!s.ownedBy(caller)) {
            throw new TealamaException("session " + id + " belongs to another caller");
        }
        return s;
    }

    void remove(long id) {
        sessions.remove(id);
    }

    void clear() {
        sessions.clear();
    }

    List<Session> all() {
        return new ArrayList<>(sessions.values());
    }
}
