package dev.tealama.cli;

import dev.tealama.session.SessionCounters;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tealama chat} over a piped standard input: turns, the reused cache, /reset, /exit, a full context. */
class ChatCommandTest {

    private static List<SessionCounters> turns(Tealama run) {
        return ((ChatCommand) run.commandLine.getSubcommands().get("chat").getCommand()).turnCounters();
    }

    @Test
    void twoTurnsResetAndExit() {
        Tealama run = Tealama.withInput("Hello there\nWhat is your name?\n/reset\nHello there\n/exit\nnot read\n")
                .execute("chat", "-m", TestData.model("tiny-llama3-Q8_0.gguf").toString(), "-n", "6", "--temp", "0")
                .assertSuccess().assertNoStackTrace();
        assertTrue(run.err().contains("template llama3"), run.err()); // detected from tokenizer.chat_template
        List<SessionCounters> turns = turns(run);
        assertEquals(3, turns.size(), "turns before /exit");
        assertEquals(3, run.out().split("\n", -1).length - 1, "one line of stdout per reply:\n" + run.out());

        SessionCounters first = turns.get(0);
        SessionCounters second = turns.get(1);
        SessionCounters afterReset = turns.get(2);
        assertEquals(first.promptTokens(), first.promptTokensEvaluated(), "the first turn evaluates its whole prompt");
        // the second prompt starts with the first turn: its prompt and (nearly all of) the reply are in the cache
        assertTrue(second.promptTokensEvaluated() <= second.promptTokens() - first.promptTokens(),
                "second turn evaluated " + second.promptTokensEvaluated() + " of " + second.promptTokens());
        // after /reset the conversation is the first one again: same prompt, same greedy reply
        assertEquals(first.promptTokens(), afterReset.promptTokens());
        String[] replies = run.out().split("\n");
        assertEquals(replies[0], replies[2]);
    }

    @Test
    void endOfInputQuits() {
        Tealama run = Tealama.withInput("Once upon a time")
                .execute("chat", "-n", "8", "--temp", "0").assertSuccess();
        assertEquals(1, turns(run).size());
        assertTrue(run.err().contains("template plain"), run.err()); // the embedded model has no chat template
        assertTrue(run.out().endsWith("\n"));
    }

    @Test
    void helpAndUnknownCommands() {
        Tealama run = Tealama.withInput("/help\n/frobnicate\n\n   \n/exit\n").execute("chat", "-n", "4").assertSuccess();
        assertEquals(0, turns(run).size());
        assertTrue(run.err().contains("/reset starts a new conversation"), run.err());
        assertTrue(run.err().contains("unknown command /frobnicate"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void aFullContextSaysWhatToDoAndGoesOn() {
        String longLine = "Once upon a time there was a little girl who liked to play in the park every day";
        Tealama run = Tealama.withInput("Hi\n" + longLine + "\n/reset\nHi\n")
                .execute("chat", "-c", "24", "-n", "40", "--temp", "0").assertSuccess().assertNoStackTrace();
        assertTrue(run.err().contains("context of 24 tokens is full") || run.err().contains("leaves no room"),
                run.err());
        assertTrue(run.err().contains("/reset"), run.err());
        // the long message was refused, the conversation went on after /reset
        assertEquals(2, turns(run).size(), run.err());
    }
}
