package dev.tealama.chat;

import dev.tealama.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of {@code testdata/reference/chat-templates.txt}: what llama.cpp's built-in chat templates render
 * and detect (made by {@code testdata/tools/chat-templates/make_chat_reference.sh}; the file's header explains
 * the format).
 */
final class LlamaCppChatReference {

    /** {@code llama_chat_apply_template(template, messages, addGenerationPrompt)} returned {@code expected}. */
    record RenderCase(String template, boolean addGenerationPrompt, List<ChatMessage> messages, String expected) {
        @Override
        public String toString() {
            return template + (addGenerationPrompt ? " +gen " : " ") + messages.size() + " messages "
                    + messages;
        }
    }

    /** {@code llm_chat_detect_template(template)} returned the built-in {@code expected} (or "unknown"). */
    record DetectCase(String label, String template, String expected) {
        @Override
        public String toString() {
            return label + " -> " + expected;
        }
    }

    final List<RenderCase> renders = new ArrayList<>();
    final List<DetectCase> detections = new ArrayList<>();

    private LlamaCppChatReference() {
    }

    static LlamaCppChatReference load() {
        List<String> lines;
        try {
            lines = Files.readAllLines(TestData.reference("chat-templates.txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LlamaCppChatReference reference = new LlamaCppChatReference();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i++);
            if (line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("render ")) {
                String[] header = line.split(" ");
                List<ChatMessage> messages = new ArrayList<>();
                while (lines.get(i).startsWith("message ")) {
                    String rest = lines.get(i++).substring("message ".length());
                    int space = rest.indexOf(' ');
                    messages.add(new ChatMessage(role(rest.substring(0, space)), unescape(rest.substring(space + 1))));
                }
                String expected = unescape(field(lines.get(i++), "expect "));
                reference.renders.add(new RenderCase(header[1], header[2].equals("1"), List.copyOf(messages),
                        expected));
            } else if (line.startsWith("detect ")) {
                String label = unescape(field(line, "detect "));
                String template = unescape(field(lines.get(i++), "template "));
                String expected = field(lines.get(i++), "expect ");
                reference.detections.add(new DetectCase(label, template, expected));
            } else {
                throw new IllegalStateException("unexpected line " + i + ": " + line);
            }
        }
        return reference;
    }

    private static String field(String line, String prefix) {
        if (!line.startsWith(prefix)) {
            throw new IllegalStateException("expected '" + prefix + "...', got: " + line);
        }
        return line.substring(prefix.length());
    }

    private static Role role(String label) {
        for (Role role : Role.values()) {
            if (role.label().equals(label)) {
                return role;
            }
        }
        throw new IllegalStateException("unknown role " + label);
    }

    /** Undoes the escapes the generator writes: \\ \n \r \t \xHH. */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'x' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalStateException("bad escape \\" + e + " in " + s);
            }
        }
        return out.toString();
    }
}
