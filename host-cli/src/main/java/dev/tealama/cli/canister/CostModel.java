package dev.tealama.cli.canister;

/**
 * What calls cost in cycles, by the IC's execution fee: a base fee per update call plus a fee per Wasm instruction.
 * Queries are free. Ingress bytes and storage cost extra and are not counted here.
 *
 * @param cyclesPerInstruction the fee per Wasm instruction
 * @param cyclesPerUpdateCall  the base fee of an update call's execution
 * @param assumption           what these numbers assume, as printed with every estimate
 */
public record CostModel(double cyclesPerInstruction, long cyclesPerUpdateCall, String assumption) {

    /** A 13-node application subnet: 1 cycle per instruction, 5 M cycles per update call. */
    public static final CostModel THIRTEEN_NODE_SUBNET = new CostModel(1.0, 5_000_000,
            "1 cycle per Wasm instruction + 5 M cycles per update call, the execution fees of a 13-node subnet; "
                    + "ingress bytes and storage not counted");

    /** Cycles for {@code updateCalls} update calls that ran {@code instructions} instructions in all. */
    public long cycles(long instructions, long updateCalls) {
        return Math.round(instructions * cyclesPerInstruction) + updateCalls * cyclesPerUpdateCall;
    }
}
