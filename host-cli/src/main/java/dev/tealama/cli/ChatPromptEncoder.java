package dev.tealama.cli;

import dev.tealama.chat.ChatMessage;
import dev.tealama.chat.ChatTemplate;
import dev.tealama.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Renders a conversation with a chat template and tokenizes it so that special tokens come only from the template.
 *
 * <p>The rendered text holds special tokens as text ({@code <|start_header_id|>}, {@code <|eot_id|>}), so it must be
 * tokenized with special-token parsing on. But then a user who types {@code <|eot_id|>} would end their own turn and
 * could forge the assistant's (llama.cpp's tools do exactly that). Here a message's content is always plain text:
 *
 * <ol>
 *   <li>If no message contains the text of a control or unknown token (the tokens special-token parsing governs),
 *       the rendered text is tokenized as usual, special tokens parsed: exactly what llama.cpp does.</li>
 *   <li>Otherwise the conversation is rendered a second time with those occurrences masked (each character replaced
 *       by one that no special token contains, so the text keeps its length and the template's trimming acts
 *       alike). In the masked text, the special tokens can only be the template's. The masked text is split at them
 *       the way the tokenizer splits at special tokens (longest first, leftmost first), and the text between them is
 *       taken from the real rendering and tokenized with special-token parsing off.</li>
 * </ol>
 *
 * Splitting and then encoding each piece is what the tokenizer itself does with a text that has special tokens, so
 * step 2 gives the same tokens as step 1 for the template's part, and plain-text tokens for the user's.
 */
public final class ChatPromptEncoder {
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    /** Texts of the control and unknown tokens, longest first (in UTF-8 bytes, then by id, as the tokenizer). */
    private final String[] specialTexts;
    private final int[] specialIds;
    private final char mask;

    public ChatPromptEncoder(Tokenizer tokenizer, ChatTemplate template) {
        this.tokenizer = tokenizer;
        this.template = template;
        List<Integer> special = new ArrayList<>();
        for (int token = 0; token < tokenizer.vocabularySize(); token++) {
            if (isParsedSpecial(token)) {
                special.add(token);
            }
        }
        special.sort(Comparator.comparingInt((Integer t) -> -utf8Length(tokenizer.tokenText(t)))
                .thenComparingInt(t -> t));
        specialTexts = new String[special.size()];
        specialIds = new int[special.size()];
        for (int i = 0; i < specialIds.length; i++) {
            specialIds[i] = special.get(i);
            specialTexts[i] = tokenizer.tokenText(specialIds[i]);
        }
        mask = maskCharacter(specialTexts);
    }

    /**
     * Whether {@code token} is one that special-token parsing finds in text: a control or unknown token. The
     * tokenizer's contract says exactly these decode to nothing unless special tokens are rendered.
     */
    private boolean isParsedSpecial(int token) {
        if (tokenizer.tokenText(token).isEmpty()) {
            return false; // nothing to find in a text
        }
        if (tokenizer.isControl(token)) {
            return true;
        }
        int[] one = {token};
        return tokenizer.decode(one, false).isEmpty() && !tokenizer.decode(one, true).isEmpty();
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A character that is no whitespace and occurs in no special token's text. */
    private static char maskCharacter(String[] specialTexts) {
        for (char c = '\u0001'; ; c++) {
            if (Character.isWhitespace(c) || Character.isSurrogate(c)) {
                continue;
            }
            boolean used = false;
            for (String s : specialTexts) {
                if (s.indexOf(c) >= 0) {
                    used = true;
                    break;
                }
            }
            if (!used) {
                return c;
            }
        }
    }

    public ChatTemplate template() {
        return template;
    }

    /**
     * The tokens of the conversation: BOS if the model wants it, then the rendered conversation, special tokens only
     * where the template wrote them.
     *
     * @param addGenerationPrompt end with the header that introduces the assistant's reply
     */
    public int[] encode(List<ChatMessage> messages, boolean addGenerationPrompt) {
        String rendered = template.render(messages, addGenerationPrompt);
        List<ChatMessage> masked = new ArrayList<>(messages.size());
        boolean anyMasked = false;
        for (ChatMessage m : messages) {
            String content = maskSpecials(m.content());
            anyMasked |= !content.equals(m.content());
            masked.add(new ChatMessage(m.role(), content));
        }
        if (!anyMasked) {
            return tokenizer.encode(rendered, true, true);
        }
        String maskedRendered = template.render(masked, addGenerationPrompt);
        if (maskedRendered.length() != rendered.length()) {
            throw new IllegalStateException("template " + template.name() + " changed the length of masked content");
        }
        return encodeWithTemplateSpecials(rendered, maskedRendered);
    }

    /** {@code content} with every occurrence of a special token's text replaced by mask characters. */
    private String maskSpecials(String content) {
        char[] chars = null;
        for (String special : specialTexts) {
            for (int at = content.indexOf(special); at >= 0; at = content.indexOf(special, at + 1)) {
                if (chars == null) {
                    chars = content.toCharArray();
                }
                Arrays.fill(chars, at, at + special.length(), mask);
            }
        }
        return chars == null ? content : new String(chars);
    }

    /** Tokens of {@code text}, special tokens taken only where {@code specialsFrom} (same length) has them. */
    private int[] encodeWithTemplateSpecials(String text, String specialsFrom) {
        List<int[]> pieces = new ArrayList<>();
        int total = 0;
        if (tokenizer.addBos() && tokenizer.bos() >= 0) {
            pieces.add(new int[] {tokenizer.bos()});
            total++;
        }
        for (Fragment f : split(specialsFrom)) {
            int[] tokens = f.token >= 0 ? new int[] {f.token}
                    : tokenizer.encode(text.substring(f.start, f.end), false, false);
            pieces.add(tokens);
            total += tokens.length;
        }
        if (tokenizer.addEos() && tokenizer.eos() >= 0) {
            pieces.add(new int[] {tokenizer.eos()});
            total++;
        }
        int[] out = new int[total];
        int at = 0;
        for (int[] p : pieces) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A special token ({@code token >= 0}) or the text {@code [start, end)} between special tokens. */
    private record Fragment(int token, int start, int end) {
    }

    /**
     * Splits {@code text} at special tokens as the tokenizer does (llama.cpp's {@code tokenizer_st_partition}): each
     * special token, longest first, splits every text fragment at all its non-overlapping occurrences, leftmost
     * first.
     */
    private List<Fragment> split(String text) {
        List<Fragment> fragments = new ArrayList<>();
        if (!text.isEmpty()) {
            fragments.add(new Fragment(-1, 0, text.length()));
        }
        for (int i = 0; i < specialTexts.length; i++) {
            String special = specialTexts[i];
            List<Fragment> next = new ArrayList<>(fragments.size());
            for (Fragment f : fragments) {
                if (f.token >= 0) {
                    next.add(f);
                    continue;
                }
                int start = f.start;
                for (int at = indexWithin(text, special, start, f.end); at >= 0;
                     at = indexWithin(text, special, start, f.end)) {
                    if (at > start) {
                        next.add(new Fragment(-1, start, at));
                    }
                    next.add(new Fragment(specialIds[i], at, at + special.length()));
                    start = at + special.length();
                }
                if (start < f.end) {
                    next.add(new Fragment(-1, start, f.end));
                }
            }
            fragments = next;
        }
        return fragments;
    }

    /** The first index in {@code [from, to)} where {@code s} lies entirely within the range, or -1. */
    private static int indexWithin(String text, String s, int from, int to) {
        int at = text.indexOf(s, from);
        return at >= 0 && at + s.length() <= to ? at : -1;
    }
}
