package dev.tealama.chat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A chat session re-renders the conversation each turn and feeds only the text after what its cache holds, so
 * rendering must only ever append: render(messages[0..k]) is a prefix of render(messages[0..k+1]), and with
 * the generation prompt on, a prefix of the rendering that adds the assistant's reply.
 */
class ChatTemplatePrefixPropertiesTest {

    @Property(tries = 300)
    void renderingMoreMessagesOnlyAppends(@ForAll("templates") ChatTemplate template,
            @ForAll("conversations") List<ChatMessage> conversation) {
        for (int k = 0; k < conversation.size(); k++) {
            String shorter = template.render(conversation.subList(0, k), false);
            String longer = template.render(conversation.subList(0, k + 1), false);
            assertTrue(longer.startsWith(shorter), () -> template + ": " + longer + " does not extend " + shorter);
        }
    }

    @Property(tries = 300)
    void theGenerationPromptIsWhereTheReplyGoes(@ForAll("templates") ChatTemplate template,
            @ForAll("conversations") List<ChatMessage> conversation) {
        for (int k = 0; k < conversation.size(); k++) {
            if (conversation.get(k).role() != Role.ASSISTANT) {
                continue;
            }
            String prompt = template.render(conversation.subList(0, k), true);
            for (boolean addGenerationPrompt : new boolean[] {false, true}) {
                String withReply = template.render(conversation.subList(0, k + 1), addGenerationPrompt);
                assertTrue(withReply.startsWith(prompt),
                        () -> template + ": " + withReply + " does not extend " + prompt);
            }
        }
    }

    @Provide
    Arbitrary<ChatTemplate> templates() {
        return Arbitraries.of(ChatTemplate.names()).map(ChatTemplate::named);
    }

    @Provide
    Arbitrary<List<ChatMessage>> conversations() {
        Arbitrary<String> content = Arbitraries.strings()
                .withChars(" \t\n\r\u000Babc<|>[]/\u00A0é")
                .ofMaxLength(12);
        Arbitrary<ChatMessage> message = Combinators.combine(Arbitraries.of(Role.class), content)
                .as(ChatMessage::new);
        return message.list().ofMaxSize(8);
    }
}
