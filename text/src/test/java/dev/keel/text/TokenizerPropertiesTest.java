package dev.keel.text;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Properties on random strings: tokenizing never throws, is deterministic and keeps its invariants. */
class TokenizerPropertiesTest {

    private static final List<Tokenizer> TOKENIZERS = List.of(
            Tokenizer.standard(),
            new Tokenizer(Tokenizer.Options.defaults().withKeepPunctuation(true)),
            new Tokenizer(new Tokenizer.Options(false, false, false, false, false, false)));

    @Property(tries = 1000)
    void anyStringTokenizesDeterministically(@ForAll String text) {
        checkInvariants(text);
    }

    @Property(tries = 500)
    void stringsOfAwkwardPiecesTokenize(@ForAll("awkward") String text) {
        checkInvariants(text);
    }

    @Property(tries = 500)
    void retokenizingJoinedTokensGivesTheSameTokens(@ForAll("reviewLike") String text) {
        Tokenizer tokenizer = Tokenizer.standard();
        List<String> once = tokenizer.tokenize(text);
        assertEquals(once, tokenizer.tokenize(String.join(" ", once)));
    }

    @Test
    void seededRandomCodePointsOverEveryPlane() {
        SplittableRandom random = new SplittableRandom(20240611);
        for (int trial = 0; trial < 300; trial++) {
            int length = random.nextInt(200);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < length; k++) {
                int kind = random.nextInt(4);
                if (kind == 0) {
                    sb.append((char) random.nextInt(0x10000)); // may be a lone surrogate
                } else if (kind == 1) {
                    sb.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1 - 0x10000) + 0x10000);
                } else {
                    sb.append((char) (0x20 + random.nextInt(0x60)));
                }
            }
            checkInvariants(sb.toString());
        }
    }

    private static void checkInvariants(String text) {
        for (Tokenizer tokenizer : TOKENIZERS) {
            List<String> first = tokenizer.tokenize(text);
            TokenBuffer buffer = new TokenBuffer();
            tokenizer.tokenize("something else first", buffer);
            tokenizer.tokenize(text, buffer);
            assertEquals(first, buffer.toList(), "deterministic and independent of buffer reuse");
            assertEquals(first, tokenizer.tokenize(new StringBuilder(text)), "any CharSequence");
            for (String token : first) {
                assertFalse(token.isEmpty(), "empty token");
                for (int i = 0; i < token.length(); i++) {
                    char c = token.charAt(i);
                    assertFalse(Character.isWhitespace(c), () -> "whitespace in token " + token);
                    if (Character.isHighSurrogate(c)) {
                        assertEquals(true, i + 1 < token.length() && Character.isLowSurrogate(token.charAt(++i)),
                                () -> "lone high surrogate in token " + token);
                    } else {
                        assertFalse(Character.isLowSurrogate(c), () -> "lone low surrogate in token " + token);
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<String> awkward() {
        return Arbitraries.of("a", "Z", "é", "\u0301", "\u200d", "\ud800", "\udc00", "\ud83d\ude00", "好", "ｶ",
                        "'", "’", "<br />", "<br", "&amp;", "&#", "&#x1F600;", "&#99999999;", "&quot", " ", "\r\n",
                        "\u0000", "\ufffd", "\ufeff", "🏽", "\ufe0f", "ß", "İ", "ǅ", "Σ", "\u0345", "١٢", "ﷺ", "＄")
                .list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> reviewLike() {
        return Arbitraries.of("great", "Don't", "it's", "taste", "好", "吃", "味道", "LOVE", "123", "3.5", "!", ",",
                        "😊", "👍", "$", "<br />", "&amp;", "&#39;", "café", "ＡＢ", " ", "  ", "\n", "-", "'", "カ", "맛")
                .list().ofMaxSize(30).map(parts -> String.join("", parts));
    }
}
