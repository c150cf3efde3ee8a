package dev.tealama.icreplica;

/** Holds the update thread while a test wants accepted calls to stay {@code received}. */
final class UpdateGate {

    private boolean held;

    synchronized void hold() {
        held = true;
    }

    synchronized void release() {
        held = false;
        notifyAll();
    }

    /** Returns once the gate is open. */
    synchronized void awaitOpen() throws InterruptedException {
        while (held) {
            wait();
        }
    }
}
