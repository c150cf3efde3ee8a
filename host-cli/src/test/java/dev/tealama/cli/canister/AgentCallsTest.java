package dev.tealama.cli.canister;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The canister's own words, found in the reject messages replicas write around them. */
class AgentCallsTest {

    @Test
    void theTrapMessageInsideAReplicasRejectMessage() {
        // the IC's replica (dfx, mainnet): the trap text quoted, then advice
        assertEquals("upload_begin: only a controller of this canister may upload a model", AgentCalls.canisterMessage(
                "Error from Canister bkyz2-fmaaa-aaaaa-qaaaq-cai: Canister called `ic0.trap` with message: "
                        + "'upload_begin: only a controller of this canister may upload a model'.\nConsider gracefully "
                        + "handling failures from this canister or altering the canister to handle exceptions. See "
                        + "documentation: http://internetcomputer.org/docs/current/references/execution-errors"
                        + "#trapped-explicitly"));
        // the local IC host
        assertEquals("load: the model's SHA-256 does not match", AgentCalls.canisterMessage(
                "Canister called `ic0.trap` with message: 'load: the model's SHA-256 does not match'"));
        // older replicas
        assertEquals("session_step: no session 7", AgentCalls.canisterMessage(
                "Canister rrkah-fqaaa-aaaaa-aaaaq-cai trapped explicitly: session_step: no session 7"));
    }

    @Test
    void otherMessagesAreKeptWhole() {
        assertEquals("Canister rrkah-fqaaa-aaaaa-aaaaq-cai not found", AgentCalls.canisterMessage(
                "  Canister rrkah-fqaaa-aaaaa-aaaaq-cai not found "));
        assertEquals("(no message)", AgentCalls.canisterMessage(null));
    }
}
