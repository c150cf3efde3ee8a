package dev.tealama.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.TealamaException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChatTemplateTest {
    private static final LlamaCppChatReference LLAMA_CPP = LlamaCppChatReference.load();
    private static final List<String> RENDERED_BY_LLAMA_CPP =
            List.of("llama3", "llama2", "llama2-sys", "llama2-sys-bos", "llama2-sys-strip");

    static Stream<LlamaCppChatReference.RenderCase> llamaCppRenders() {
        return LLAMA_CPP.renders.stream();
    }

    static Stream<LlamaCppChatReference.DetectCase> llamaCppDetections() {
        return LLAMA_CPP.detections.stream();
    }

    @Test
    void referenceCoversEveryTemplateLlamaCppRenders() {
        for (String name : RENDERED_BY_LLAMA_CPP) {
            long cases = LLAMA_CPP.renders.stream().filter(c -> c.template().equals(name)).count();
            assertTrue(cases >= 30, name + " has only " + cases + " reference cases");
        }
        assertTrue(LLAMA_CPP.detections.size() > 90);
    }

    @ParameterizedTest
    @MethodSource("llamaCppRenders")
    void rendersAsLlamaCppDoes(LlamaCppChatReference.RenderCase c) {
        assertEquals(c.expected(), ChatTemplate.named(c.template()).render(c.messages(), c.addGenerationPrompt()));
    }

    @ParameterizedTest
    @MethodSource("llamaCppDetections")
    void detectsAsLlamaCppDoes(LlamaCppChatReference.DetectCase c) {
        String expected = RENDERED_BY_LLAMA_CPP.contains(c.expected()) ? c.expected() : "plain";
        assertEquals(expected, ChatTemplate.detect(c.template()).name());

        // Where our detector names a format at all, it is the one llama.cpp names.
        String format = TemplateDetector.llamaCppFormat(c.template());
        if (format != null) {
            assertEquals(c.expected(), format);
        } else {
            assertFalse(RENDERED_BY_LLAMA_CPP.contains(c.expected()));
        }
    }

    /**
     * llama.cpp's own expectations: tests/test-chat-template.cpp (llama.cpp commit de3ff81), main_automated_tests,
     * renders its fixed conversation with each test case's template string (detected by llama.cpp) and the
     * generation prompt on. The expected strings below are copied from that file; the template strings are the
     * test cases' {@code template_str}, which the reference file carries under the test case's name.
     */
    @Test
    void matchesLlamaCppTestChatTemplateExpectations() {
        List<ChatMessage> conversation = List.of(
                ChatMessage.system("You are a helpful assistant"),
                ChatMessage.user("Hello"),
                ChatMessage.assistant("Hi there"),
                ChatMessage.user("Who are you"),
                ChatMessage.assistant("   I am an assistant   "),
                ChatMessage.user("Another question"));
        assertRendersFromTestCase("mistralai/Mistral-7B-Instruct-v0.2 (NOTE: Old pre-v1 without a system prompt)",
                "llama2", conversation,
                "[INST] You are a helpful assistant\nHello [/INST]Hi there</s>[INST] Who are you [/INST]   I am an assistant   </s>[INST] Another question [/INST]");
        assertRendersFromTestCase("TheBloke/FusionNet_34Bx2_MoE-AWQ", "llama2-sys-bos", conversation,
                "[INST] <<SYS>>\nYou are a helpful assistant\n<</SYS>>\n\nHello [/INST]Hi there</s><s>[INST] Who are you [/INST]   I am an assistant   </s><s>[INST] Another question [/INST]");
        assertRendersFromTestCase("bofenghuang/vigogne-2-70b-chat", "llama2-sys-strip", conversation,
                "[INST] <<SYS>>\nYou are a helpful assistant\n<</SYS>>\n\nHello [/INST]Hi there</s>[INST] Who are you [/INST]I am an assistant</s>[INST] Another question [/INST]");
        assertRendersFromTestCase("Llama-3", "llama3", conversation,
                "<|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWho are you<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nI am an assistant<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnother question<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    private static void assertRendersFromTestCase(String testCase, String expectedTemplate,
            List<ChatMessage> conversation, String expected) {
        ChatTemplate template = ChatTemplate.detect(templateOf(testCase));
        assertEquals(expectedTemplate, template.name(), testCase);
        assertEquals(expected, template.render(conversation, true), testCase);
    }

    private static String templateOf(String label) {
        return LLAMA_CPP.detections.stream().filter(c -> c.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no template " + label + " in the reference")).template();
    }

    /** The tiny-llama3 test models carry the Llama 3 instruct template (read from the GGUF with gguf-py). */
    @Test
    void detectsTheTinyLlama3ModelsTemplate() {
        String template = templateOf("tokenizer.chat_template of tiny-llama3-Q8_0.gguf");
        assertTrue(template.contains("<|start_header_id|>"));
        assertSame(Llama3Template.INSTANCE, ChatTemplate.detect(template));
    }

    @Test
    void detectsNothingAsPlain() {
        assertEquals("plain", ChatTemplate.detect(null).name());
        assertEquals("plain", ChatTemplate.detect("").name());
        assertEquals("plain", ChatTemplate.detect("{{ messages }}").name());
    }

    @Test
    void findsEveryTemplateByName() {
        for (String name : ChatTemplate.names()) {
            assertEquals(name, ChatTemplate.named(name).name());
        }
        assertEquals(List.of("plain", "llama3", "llama2", "llama2-sys", "llama2-sys-bos", "llama2-sys-strip"),
                ChatTemplate.names());
        assertSame(ChatTemplate.named("llama2-sys"), ChatTemplate.named("llama2-sys"));
    }

    @Test
    void rejectsUnknownNamesListingTheValidOnes() {
        TealamaException e = assertThrows(TealamaException.class, () -> ChatTemplate.named("chatml"));
        assertTrue(e.getMessage().contains("'chatml'"), e.getMessage());
        assertTrue(e.getMessage().contains("plain, llama3, llama2, llama2-sys, llama2-sys-bos, llama2-sys-strip"),
                e.getMessage());
        assertThrows(TealamaException.class, () -> ChatTemplate.named(null));
        assertThrows(TealamaException.class, () -> ChatTemplate.named("Llama3"));
    }

    @Test
    void plainRendersASingleUserMessageAsExactlyItsText() {
        ChatTemplate plain = ChatTemplate.named("plain");
        for (String text : List.of("Once upon a time", "  spaced  ", "", "line\nbreaks <|eot_id|> kept")) {
            assertEquals(text, plain.render(List.of(ChatMessage.user(text)), true));
            assertEquals(text, plain.render(List.of(ChatMessage.user(text)), false));
        }
    }

    @Test
    void plainWritesTheConversationAsOneRunningText() {
        ChatTemplate plain = ChatTemplate.named("plain");
        List<ChatMessage> chat = List.of(
                ChatMessage.system("Stories for children."),
                ChatMessage.user("Once upon a time"),
                ChatMessage.assistant(" there was a cat."),
                ChatMessage.user(" The cat"));
        assertEquals("Stories for children.\n\nOnce upon a time there was a cat. The cat", plain.render(chat, true));
        assertEquals(plain.render(chat, true), plain.render(chat, false));
        assertEquals("", plain.render(List.of(), true));
    }

    @Test
    void llama2IgnoresTheGenerationPromptAsLlamaCppDoes() {
        List<ChatMessage> chat = List.of(ChatMessage.user("Hello"));
        for (Llama2Template.Variant variant : Llama2Template.Variant.values()) {
            ChatTemplate template = ChatTemplate.named(variant.templateName());
            assertEquals("[INST] Hello [/INST]", template.render(chat, true));
            assertEquals("[INST] Hello [/INST]", template.render(chat, false));
            assertSame(variant, ((Llama2Template) template).variant());
        }
    }

    @Test
    void trimsOnlyTheWhitespaceCsIsspaceKnows() {
        assertEquals("x", CWhitespace.trim(" \t\n\u000B\f\rx \t\n\u000B\f\r"));
        assertEquals("\u00A0x\u3000", CWhitespace.trim("\u00A0x\u3000"));
        assertEquals("\u001Cx", CWhitespace.trim("\u001Cx"));
        assertEquals("", CWhitespace.trim(" \n "));
    }

    @Test
    void messagesNeedARoleAndContent() {
        assertThrows(TealamaException.class, () -> new ChatMessage(null, "x"));
        TealamaException e = assertThrows(TealamaException.class, () -> new ChatMessage(Role.USER, null));
        assertTrue(e.getMessage().contains("user"), e.getMessage());
        assertNotNull(ChatMessage.system(""));
    }
}
