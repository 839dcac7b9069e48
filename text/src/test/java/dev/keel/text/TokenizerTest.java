package dev.keel.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerTest {

    private final Tokenizer standard = Tokenizer.standard();

    private List<String> tokens(String text) {
        return standard.tokenize(text);
    }

    @Test
    void englishWordsAreFoldedAndPunctuationDropped() {
        assertEquals(List.of("i", "absolutely", "love", "this", "dried", "fruit", "love", "it"),
                tokens("I absolutely LOVE this dried fruit.  LOVE IT."));
        assertEquals(List.of("great", "deal", "convenient", "too"), tokens("GREAT DEAL, CONVENIENT TOO."));
    }

    @Test
    void innerApostrophesStayInTheWord() {
        assertEquals(List.of("i", "don't", "need", "it's", "fine"), tokens("I don't need... it's fine"));
        assertEquals(List.of("don't"), tokens("don’t")); // U+2019 becomes '
        assertEquals(List.of("the", "dogs", "bowls"), tokens("the dogs' bowls"));
        assertEquals(List.of("quoted"), tokens("'quoted'"));
        assertEquals(List.of("don", "t"), new Tokenizer(Tokenizer.Options.defaults().withInnerApostrophes(false))
                .tokenize("don't"));
    }

    @Test
    void lettersAndDigitsFormWordsOtherCharactersSplit() {
        assertEquals(List.of("abc123", "3", "5", "well", "made"), tokens("abc123 3.5 well-made"));
        assertEquals(List.of("tab", "new", "line"), tokens("tab\tnew\r\nline"));
    }

    @Test
    void htmlBreaksBecomeSpacesAndEntitiesAreDecoded() {
        assertEquals(List.of("bags", "i've", "tried"), tokens("bags.<br /><br />I've tried"));
        assertEquals(List.of("one", "two", "three", "four"), tokens("one<br>two<BR/>three<br />four"));
        assertEquals(List.of("don't", "say", "it's", "fish", "chips"),
                tokens("don&#39;t say &quot;it&#x27;s&quot; fish &amp; chips"));
        assertEquals(List.of("café", "jalapeño"), tokens("caf&eacute; jalape&ntilde;o"));
        assertEquals(List.of("a", "link", "here"), tokens("<a href=\"http://www.amazon.com/x\">a link</a> here"));
        assertEquals(List.of("😊"), tokens("&#128522;"));
        // not markup: left as text
        assertEquals(List.of("<", "3", "a", "<", "b", "unknown"), tokens("<3 a < b &unknown;"));
        // decoded once: &amp;lt; is the text "&lt;"
        assertEquals(List.of("lt"), tokens("&amp;lt;"));
        assertEquals(List.of("x", "y"), tokens("x&#0;y")); // no such character: a space
    }

    @Test
    void htmlCanBeLeftAlone() {
        Tokenizer raw = new Tokenizer(Tokenizer.Options.defaults().withHtml(false));
        assertEquals(List.of("<", "br", ">", "quot"), raw.tokenize("<br /> &quot;"));
    }

    @Test
    void chineseIsOneTokenPerIdeograph() {
        assertEquals(List.of("很", "快", "好", "吃", "味", "道", "足", "量", "大"), tokens("很快，好吃，味道足，量大"));
        assertEquals(List.of("没", "有", "送", "水"), tokens("没有送水。"));
        assertEquals(List.of("送", "餐", "40", "分", "钟"), tokens("送餐40分钟！"));
    }

    @Test
    void japaneseAndKoreanLettersAreSingleTokensToo() {
        assertEquals(List.of("コ", "ー", "ヒ", "ー", "が", "好", "き"), tokens("コーヒーが好き"));
        assertEquals(List.of("맛", "있", "어", "요"), tokens("맛있어요"));
        // half-width katakana widens under NFKC
        assertEquals(List.of("カ", "ナ"), tokens("ｶﾅ"));
    }

    @Test
    void mixedScripts() {
        assertEquals(List.of("iphone", "很", "好", "用", "👍", "5", "星"), tokens("iPhone很好用!!👍 5星"));
        assertEquals(List.of("买", "了", "3", "盒", "good", "value"), tokens("买了3盒good value"));
    }

    @Test
    void nfkcFoldsCompatibilityForms() {
        assertEquals(List.of("abc123"), tokens("ＡＢＣ１２３"));
        assertEquals(List.of("file"), tokens("ﬁle"));
        assertEquals(List.of("x2"), tokens("x²"));
        assertEquals(List.of("café"), tokens("cafe\u0301")); // composed: one word
        Tokenizer noNfkc = new Tokenizer(Tokenizer.Options.defaults().withNfkc(false));
        assertEquals(List.of("ａｂｃ１２３"), noNfkc.tokenize("ＡＢＣ１２３"));
    }

    @Test
    void caseFoldingIsConfigurable() {
        assertEquals(List.of("σίσυφοσ"), tokens("ΣΊΣΥΦΟΣ")); // final sigma folds to σ, as in CaseFolding.txt
        assertEquals(tokens("σίσυφος"), tokens("ΣΊΣΥΦΟΣ"));
        assertEquals(List.of("straße"), tokens("STRAßE"));
        Tokenizer keepCase = new Tokenizer(Tokenizer.Options.defaults().withCaseFold(false));
        assertEquals(List.of("iPhone", "OK"), keepCase.tokenize("iPhone OK"));
    }

    @Test
    void symbolsAndEmojiAreKeptOrDroppedByOption() {
        assertEquals(List.of("price", "$", "5", "+", "tax", "❤", "👍", "👍"), tokens("price $5 + tax ❤️ 👍🏽👍"));
        Tokenizer noSymbols = new Tokenizer(Tokenizer.Options.defaults().withKeepSymbols(false));
        assertEquals(List.of("price", "5", "tax"), noSymbols.tokenize("price $5 + tax ❤️ 👍🏽"));
        // a family emoji is joined by ZWJ (ignored): one token per person
        assertEquals(List.of("👨", "👩", "👧"), tokens("👨\u200d👩\u200d👧"));
    }

    @Test
    void punctuationCanBeKept() {
        Tokenizer punct = new Tokenizer(Tokenizer.Options.defaults().withKeepPunctuation(true));
        assertEquals(List.of("wow", "!", "!", "great", ",", "isn't", "it", "?"), punct.tokenize("Wow!! Great, isn't it?"));
        assertEquals(List.of("好", "。"), punct.tokenize("好。"));
    }

    @Test
    void combiningMarksStayInWordsAndAreDroppedAlone() {
        assertEquals(List.of("हिन्दी"), tokens("हिन्दी"));
        assertEquals(List.of("a"), tokens("\u0301\u0301 a"));
        assertEquals(List.of("好"), tokens("好\ufe0f")); // a variation selector after an ideograph
    }

    @Test
    void formatCharactersDoNotBreakWords() {
        assertEquals(List.of("content"), tokens("con\u00adtent")); // soft hyphen
        assertEquals(List.of("ab"), tokens("a\u200bb".replace('\u200b', '\u200c'))); // zero-width non-joiner
        assertEquals(List.of("text"), tokens("\ufefftext"));
    }

    @Test
    void brokenInputIsHandled() {
        assertEquals(List.of("a", "b"), tokens("a\ud800b"));
        assertEquals(List.of("a", "b"), tokens("a\udc00\ud800b"));
        assertEquals(List.of("a", "b"), tokens("a\ufffdb"));
        assertEquals(List.of(), tokens(""));
        assertEquals(List.of(), tokens(" \t\r\n\u0000\u3000 "));
        assertEquals(List.of("x"), tokens("x\ud800"));
    }

    @Test
    void megabyteLinesTokenize() {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 1 << 20) {
            sb.append("great taste 好吃 ");
        }
        List<String> t = tokens(sb.toString());
        assertEquals("great", t.get(0));
        assertTrue(t.size() > 200_000);
        String oneWord = "a".repeat(1 << 20);
        assertEquals(List.of(oneWord), tokens(oneWord));
        assertEquals(1 << 20, tokens("好".repeat(1 << 20)).size());
    }

    @Test
    void bufferIsReusedAcrossTexts() {
        TokenBuffer buffer = new TokenBuffer();
        standard.tokenize("one two three", buffer);
        assertEquals(3, buffer.size());
        standard.tokenize("四", buffer);
        assertEquals(List.of("四"), buffer.toList());
        assertTrue(buffer.contentEquals(0, "四"));
        assertEquals(1, buffer.length(0));
    }

    @Test
    void prepareShowsTheNormalizedText() {
        assertEquals("a   b & c", standard.prepare("a <br /> b &amp; c"));
        assertEquals("ABC", standard.prepare("ＡＢＣ"));
    }
}
