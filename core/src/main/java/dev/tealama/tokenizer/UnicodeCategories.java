package dev.tealama.tokenizer;

/**
 * The Unicode properties the pre-tokenizer asks about: general category groups ({@code \p{L}}, {@code \p{N}}, ...)
 * and whitespace ({@code \s}).
 *
 * <p>The answers come from a committed table ({@link UnicodeCategoryData}), never from {@link Character}: the JVM and
 * TeaVM ship different Unicode versions, and tokenization must match llama.cpp's own table (Unicode 15.1) on both.
 */
final class UnicodeCategories {
    static final int UNASSIGNED = 0;
    static final int LETTER = 1;
    static final int NUMBER = 2;
    static final int MARK = 3;
    static final int PUNCTUATION = 4;
    static final int SYMBOL = 5;
    static final int SEPARATOR = 6;
    /** Control, format, private use and surrogate code points ({@code \p{C}} without unassigned ones). */
    static final int OTHER = 7;

    /** Letters of the categories in {@link UnicodeCategoryData#RANGES}, indexed by the constants above. */
    private static final String CATEGORY_LETTERS = "ULNMPSZC";

    private static final int CATEGORY_MASK = 0x0F;
    private static final int WHITESPACE_BIT = 0x10;
    private static final int BMP_SIZE = 0x10000;
    private static final int MAX_CODE_POINT = 0x10FFFF;

    /** Category and whitespace bit of every code point below U+10000: the common case is one array read. */
    private static final byte[] BMP = new byte[BMP_SIZE];
    /** First code point of every range (ascending) and its category, for the supplementary planes. */
    private static final int[] RANGE_STARTS;
    private static final byte[] RANGE_CATEGORIES;

    static {
        String ranges = UnicodeCategoryData.RANGES;
        int count = 0;
        for (int i = 0; i < ranges.length(); i++) {
            if (CATEGORY_LETTERS.indexOf(ranges.charAt(i)) >= 0) {
                count++;
            }
        }
        RANGE_STARTS = new int[count];
        RANGE_CATEGORIES = new byte[count];
        int start = 0;
        int index = 0;
        for (int i = 0; i < ranges.length(); i++) {
            char c = ranges.charAt(i);
            int category = CATEGORY_LETTERS.indexOf(c);
            if (category >= 0) {
                RANGE_STARTS[index] = start;
                RANGE_CATEGORIES[index] = (byte) category;
                index++;
                start = 0;
            } else if (c != ' ') {
                start = start * 16 + (c <= '9' ? c - '0' : c - 'a' + 10);  // lower-case hex digits
            }
        }
        for (int r = 0; r < count; r++) {
            int end = r + 1 < count ? Math.min(RANGE_STARTS[r + 1], BMP_SIZE) : BMP_SIZE;
            for (int cp = RANGE_STARTS[r]; cp < end; cp++) {
                BMP[cp] = RANGE_CATEGORIES[r];
            }
        }
        for (int cp : UnicodeCategoryData.WHITESPACE) {
            BMP[cp] |= WHITESPACE_BIT;
        }
    }

    private UnicodeCategories() {
    }

    /** The category group of a code point; {@link #UNASSIGNED} outside U+0000..U+10FFFF. */
    static int category(int cp) {
        if (cp >= 0 && cp < BMP_SIZE) {
            return BMP[cp] & CATEGORY_MASK;
        }
        if (cp < 0 || cp > MAX_CODE_POINT) {
            return UNASSIGNED;
        }
        // the last range starting at or before cp
        int lo = 0;
        int hi = RANGE_STARTS.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (RANGE_STARTS[mid] <= cp) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return RANGE_CATEGORIES[lo];
    }

    /** {@code \p{L}}. */
    static boolean isLetter(int cp) {
        return category(cp) == LETTER;
    }

    /** {@code \p{N}}. */
    static boolean isNumber(int cp) {
        return category(cp) == NUMBER;
    }

    /** Unicode's White_Space property, which is llama.cpp's {@code \s}. All such code points are below U+10000. */
    static boolean isWhitespace(int cp) {
        return cp >= 0 && cp < BMP_SIZE && (BMP[cp] & WHITESPACE_BIT) != 0;
    }
}
