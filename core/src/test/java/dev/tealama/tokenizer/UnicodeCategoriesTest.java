package dev.tealama.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tealama.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UnicodeCategoriesTest {
    private static final boolean JDK_HAS_UNICODE_16 = Runtime.version().feature() == 24 || Runtime.version().feature() == 25;

    @Test
    void committedTableIsWhatTheGeneratorWrites() throws IOException {
        assumeTrue(JDK_HAS_UNICODE_16, "the generator needs a JDK with Unicode 16.0");
        Path committed = TestData.root().getParent()
                .resolve("core/src/main/java/dev/tealama/tokenizer/UnicodeCategoryData.java");
        assertEquals(UnicodeCategoryDataGenerator.source(), new String(Files.readAllBytes(committed), StandardCharsets.UTF_8),
                "UnicodeCategoryData.java is stale: rerun UnicodeCategoryDataGenerator");
    }

    /**
     * Every code point's category agrees with the running JDK, except the characters new in Unicode 16.0 (which
     * llama.cpp's Unicode 15.1 table does not have). On a JDK with another Unicode version only code points both
     * consider assigned are compared.
     */
    @Test
    void tableAgreesWithTheJdk() {
        int compared = 0;
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            int table = UnicodeCategories.category(cp);
            if (UnicodeCategoryDataGenerator.isAssignedInUnicode16(cp)) {
                assertEquals(UnicodeCategories.UNASSIGNED, table, hex(cp));
                continue;
            }
            int jdk = UnicodeCategoryDataGenerator.jdkCategory(cp);
            if (!JDK_HAS_UNICODE_16 && (jdk == UnicodeCategories.UNASSIGNED || table == UnicodeCategories.UNASSIGNED)) {
                continue;
            }
            assertEquals(jdk, table, hex(cp));
            compared++;
        }
        assertTrue(compared > 280_000, "compared " + compared);
    }

    /** Spot checks against llama.cpp's own table (src/unicode-data.cpp at de3ff81). */
    @Test
    void categoriesAgreeWithLlamaCppOnSamples() {
        assertEquals(UnicodeCategories.LETTER, UnicodeCategories.category(0xAA));      // ª, Lo
        assertEquals(UnicodeCategories.NUMBER, UnicodeCategories.category(0xB2));      // ², No
        assertEquals(UnicodeCategories.OTHER, UnicodeCategories.category(0xAD));       // soft hyphen, Cf
        assertEquals(UnicodeCategories.SEPARATOR, UnicodeCategories.category(0xA0));   // no-break space, Zs
        assertEquals(UnicodeCategories.MARK, UnicodeCategories.category(0x300));       // combining grave, Mn
        assertEquals(UnicodeCategories.SYMBOL, UnicodeCategories.category(0x2C2));     // ˂, Sk
        assertEquals(UnicodeCategories.PUNCTUATION, UnicodeCategories.category(0x37E)); // Greek question mark, Po
        assertEquals(UnicodeCategories.UNASSIGNED, UnicodeCategories.category(0x378));
        assertEquals(UnicodeCategories.SYMBOL, UnicodeCategories.category(0x31EF));    // new in Unicode 15.1
        assertEquals(UnicodeCategories.LETTER, UnicodeCategories.category(0x2EBF0));   // CJK Ext. I, Unicode 15.1
        assertEquals(UnicodeCategories.UNASSIGNED, UnicodeCategories.category(0x105C0)); // Todhri, Unicode 16.0
        assertEquals(UnicodeCategories.OTHER, UnicodeCategories.category(0x10FFFD));   // private use
        assertEquals(UnicodeCategories.UNASSIGNED, UnicodeCategories.category(0x10FFFF));
        assertEquals(UnicodeCategories.UNASSIGNED, UnicodeCategories.category(0x110000));
        assertEquals(UnicodeCategories.UNASSIGNED, UnicodeCategories.category(-1));
    }

    /** Unicode's White_Space property (PropList.txt), which llama.cpp uses as {@code \s}. */
    @Test
    void whitespaceIsUnicodesWhiteSpaceProperty() {
        int[] whiteSpace = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
            0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
        int count = 0;
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            if (UnicodeCategories.isWhitespace(cp)) {
                assertEquals(whiteSpace[count], cp, "whitespace #" + count);
                count++;
            }
        }
        assertEquals(whiteSpace.length, count);
        // characters Java's Character.isWhitespace disagrees on
        assertFalse(UnicodeCategories.isWhitespace(0x1C));
        assertTrue(UnicodeCategories.isWhitespace(0xA0));
        assertFalse(UnicodeCategories.isWhitespace(0x200B));
    }

    private static String hex(int cp) {
        return "U+" + Integer.toHexString(cp).toUpperCase();
    }
}
