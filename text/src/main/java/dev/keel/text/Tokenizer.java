package dev.keel.text;

import java.text.Normalizer;
import java.util.List;

/**
 * Splits text into tokens, the same way for English, Chinese and mixed text. Immutable and
 * thread-safe; total: it never throws on any string (lone surrogates, stray combining marks,
 * control characters, megabyte lines).
 *
 * <p>Steps, in order:
 * <ol>
 *   <li><b>HTML</b> ({@link Options#html}, on by default): tags such as {@code <br />} become a
 *       space and character references ({@code &amp; &quot; &#39; &#x27; &eacute;} ...) are
 *       <em>decoded</em> and then tokenized as text, so {@code don&#39;t} reads as {@code don't}.</li>
 *   <li><b>NFKC</b> normalization ({@link Options#nfkc}, on): full-width Latin becomes ASCII,
 *       ligatures split, half-width katakana widens, compatibility digits ({@code ²}) become digits.</li>
 *   <li><b>Case folding</b> ({@link Options#caseFold}, on): per code point,
 *       {@code Character.toLowerCase(Character.toUpperCase(cp))}, a simple (length-preserving)
 *       fold: {@code "ΣΊΣΥΦΟΣ"} and {@code "σίσυφος"} agree; {@code ß} stays {@code ß}.</li>
 *   <li><b>Splitting</b> by the Unicode general category of each code point:
 *     <ul>
 *       <li>letters, digits and other numbers of alphabetic scripts form <em>words</em>: maximal
 *           runs, so {@code "abc123"} is one token and {@code "3.5"} two. Combining marks
 *           (Mn, Mc, Me) stay in the word they follow and are dropped elsewhere.</li>
 *       <li>an apostrophe ({@code '} or U+2019) <em>between</em> two word characters stays in the
 *           word as {@code '} ({@link Options#innerApostrophes}, on): {@code "don't"} and
 *           {@code "don’t"} both give {@code don't}; {@code "dogs'"} gives {@code dogs}.</li>
 *       <li>CJK: every Han ideograph, kana, bopomofo and hangul letter (syllable or jamo) is a
 *           token of its own: {@code "很好吃"} gives {@code 很 好 吃}.</li>
 *       <li>symbols (Sm, Sc, Sk, So: emoji, {@code $ + < = >}, ...) are one token per code point
 *           when {@link Options#keepSymbols} (on), otherwise separators. Emoji skin-tone modifiers
 *           (U+1F3FB..U+1F3FF) and U+FFFD are never tokens.</li>
 *       <li>punctuation (P*) is a separator unless {@link Options#keepPunctuation} (off), which
 *           makes each punctuation code point a token.</li>
 *       <li>format characters (Cf: zero-width joiners, soft hyphens, a stray byte order mark) are
 *           ignored without ending a word; everything else (spaces, controls, lone surrogates,
 *           private-use and unassigned code points) separates tokens.</li>
 *     </ul>
 *   </li>
 * </ol>
 * Tokens never contain whitespace, so joining n-grams with a space is unambiguous.
 */
public final class Tokenizer {

    /**
     * Tokenizer settings. {@link #defaults()}: html, nfkc, caseFold, innerApostrophes and
     * keepSymbols on; keepPunctuation off.
     */
    public record Options(boolean html, boolean nfkc, boolean caseFold, boolean innerApostrophes,
                          boolean keepSymbols, boolean keepPunctuation) {

        public static Options defaults() {
            return new Options(true, true, true, true, true, false);
        }

        public Options withHtml(boolean on) {
            return new Options(on, nfkc, caseFold, innerApostrophes, keepSymbols, keepPunctuation);
        }

        public Options withNfkc(boolean on) {
            return new Options(html, on, caseFold, innerApostrophes, keepSymbols, keepPunctuation);
        }

        public Options withCaseFold(boolean on) {
            return new Options(html, nfkc, on, innerApostrophes, keepSymbols, keepPunctuation);
        }

        public Options withInnerApostrophes(boolean on) {
            return new Options(html, nfkc, caseFold, on, keepSymbols, keepPunctuation);
        }

        public Options withKeepSymbols(boolean on) {
            return new Options(html, nfkc, caseFold, innerApostrophes, on, keepPunctuation);
        }

        public Options withKeepPunctuation(boolean on) {
            return new Options(html, nfkc, caseFold, innerApostrophes, keepSymbols, on);
        }
    }

    // Code point classes.
    private static final byte SEPARATOR = 0;
    private static final byte WORD = 1;
    private static final byte CJK = 2;
    private static final byte SYMBOL = 3;
    private static final byte PUNCTUATION = 4;
    private static final byte MARK = 5;
    private static final byte IGNORABLE = 6;
    private static final byte APOSTROPHE = 7;

    private static final byte[] ASCII_CLASS = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII_CLASS[c] = classifyByCategory(c);
        }
        ASCII_CLASS['\''] = APOSTROPHE;
    }

    private final Options options;

    public Tokenizer(Options options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        this.options = options;
    }

    /** A tokenizer with {@link Options#defaults()}. */
    public static Tokenizer standard() {
        return new Tokenizer(Options.defaults());
    }

    public Options options() {
        return options;
    }

    /** The tokens of {@code text} as new strings. */
    public List<String> tokenize(CharSequence text) {
        TokenBuffer buffer = new TokenBuffer();
        tokenize(text, buffer);
        return buffer.toList();
    }

    /** Clears {@code out} and fills it with the tokens of {@code text}; no allocation per token. */
    public void tokenize(CharSequence text, TokenBuffer out) {
        out.clear();
        String s = prepare(text);
        boolean fold = options.caseFold;
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int cp;
            int width;
            byte cls;
            if (c < 0x80) {
                cp = c;
                width = 1;
                cls = ASCII_CLASS[c];
                if (cls == WORD) { // the common case, inlined
                    out.append(fold && c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
                    i++;
                    continue;
                }
            } else {
                cp = s.codePointAt(i); // a lone surrogate comes back as itself
                width = Character.charCount(cp);
                cls = classify(cp);
            }
            switch (cls) {
                case WORD:
                    out.appendCodePoint(fold ? fold(cp) : cp);
                    break;
                case MARK:
                    if (out.tokenOpen()) {
                        out.appendCodePoint(cp);
                    }
                    break;
                case IGNORABLE:
                    break;
                case APOSTROPHE:
                    if (options.innerApostrophes && out.tokenOpen() && wordAt(s, i + width)) {
                        out.append('\'');
                    } else {
                        single(out, cp, options.keepPunctuation);
                    }
                    break;
                case CJK:
                    single(out, fold ? fold(cp) : cp, true);
                    break;
                case SYMBOL:
                    single(out, cp, options.keepSymbols);
                    break;
                case PUNCTUATION:
                    single(out, cp, options.keepPunctuation);
                    break;
                default:
                    out.endToken();
                    break;
            }
            i += width;
        }
        out.endToken();
    }

    /** The text after the HTML and NFKC steps, before folding and splitting (for inspection). */
    public String prepare(CharSequence text) {
        String s = text.toString();
        if (options.html) {
            s = HtmlText.clean(s);
        }
        if (options.nfkc && !isAscii(s) && !Normalizer.isNormalized(s, Normalizer.Form.NFKC)) {
            s = Normalizer.normalize(s, Normalizer.Form.NFKC);
        }
        return s;
    }

    /** Ends the open word, then emits {@code cp} as a token of its own if {@code keep}. */
    private static void single(TokenBuffer out, int cp, boolean keep) {
        out.endToken();
        if (keep) {
            out.appendCodePoint(cp);
            out.endToken();
        }
    }

    private static boolean wordAt(String s, int i) {
        if (i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        return (c < 0x80 ? ASCII_CLASS[c] : classify(s.codePointAt(i))) == WORD;
    }

    private static int fold(int cp) {
        return Character.toLowerCase(Character.toUpperCase(cp));
    }

    private static boolean isAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static byte classify(int cp) {
        if (cp == 0x2019) {
            return APOSTROPHE;
        }
        if (cp == 0xFFFD || (cp >= 0x1F3FB && cp <= 0x1F3FF)) {
            // the replacement character marks broken input; skin tones modify the emoji before them
            return cp == 0xFFFD ? SEPARATOR : IGNORABLE;
        }
        return classifyByCategory(cp);
    }

    private static byte classifyByCategory(int cp) {
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                return isCjk(cp) ? CJK : WORD;
            case Character.NON_SPACING_MARK:
            case Character.COMBINING_SPACING_MARK:
            case Character.ENCLOSING_MARK:
                return MARK;
            case Character.FORMAT:
                return IGNORABLE;
            case Character.MATH_SYMBOL:
            case Character.CURRENCY_SYMBOL:
            case Character.MODIFIER_SYMBOL:
            case Character.OTHER_SYMBOL:
                return SYMBOL;
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
                return PUNCTUATION;
            default: // spaces, controls, surrogates, private use, unassigned
                return SEPARATOR;
        }
    }

    /** Whether a letter or number belongs to a script written without spaces between words. */
    private static boolean isCjk(int cp) {
        if (cp >= 0x4E00 && cp <= 0x9FFF) {
            return true; // the main ideograph block, checked first for speed
        }
        if (cp < 0x1100) {
            return false;
        }
        if (cp >= 0x3000 && cp <= 0x30FF) {
            return true; // CJK symbols and punctuation (letters only reach here: 々 〇), kana, ー
        }
        switch (Character.UnicodeScript.of(cp)) {
            case HAN:
            case HIRAGANA:
            case KATAKANA:
            case HANGUL:
            case BOPOMOFO:
                return true;
            default:
                return false;
        }
    }
}
