package dev.tealama.session;

/** Why a generation ended. */
public enum FinishReason {
    /** The model produced an end-of-generation token (EOS, or Llama 3's end-of-turn). */
    END_OF_GENERATION,
    /** The requested number of tokens was generated. */
    MAX_TOKENS,
    /** The text reached one of the caller's stop strings (which is not included in the output). */
    STOP_STRING,
    /** The context window is full. */
    CONTEXT_FULL,
    /** The caller cancelled the session. */
    CANCELLED
}
