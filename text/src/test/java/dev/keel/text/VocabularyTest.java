package dev.keel.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabularyTest {

    @TempDir
    Path dir;

    private static Vocabulary sample(int minCount, int maxWords) {
        // counts: good 3, bad 2, ok 2, 好 2, rare 1, once 1
        return Vocabulary.fromTexts(List.of("good bad ok", "good 好 rare", "Good bad ok 好 once"),
                Tokenizer.standard(), minCount, maxWords);
    }

    @Test
    void orderIsCountDescendingThenText() {
        Vocabulary v = sample(1, Integer.MAX_VALUE);
        assertEquals(List.of("<unk>", "good", "bad", "ok", "好", "once", "rare"), v.tokens());
        assertEquals(3, v.count(1));
        assertEquals(0, v.count(Vocabulary.UNK_ID));
        assertEquals(7, v.size());
    }

    @Test
    void minCountAndMaxWordsDropToUnk() {
        Vocabulary byCount = sample(2, Integer.MAX_VALUE);
        assertEquals(List.of("<unk>", "good", "bad", "ok", "好"), byCount.tokens());
        assertEquals(2, byCount.count(Vocabulary.UNK_ID)); // rare + once
        Vocabulary bySize = sample(1, 2);
        assertEquals(List.of("<unk>", "good", "bad"), bySize.tokens());
        assertEquals(2 + 2 + 1 + 1, bySize.count(Vocabulary.UNK_ID));
        assertEquals(List.of("<unk>"), sample(1, 0).tokens());
    }

    @Test
    void lookups() {
        Vocabulary v = sample(2, 10);
        assertEquals(1, v.id("good"));
        assertEquals(Vocabulary.UNK_ID, v.id("rare"));
        assertEquals(-1, v.lookup("rare"));
        assertEquals(0, v.lookup("<unk>"));
        assertTrue(v.contains("好"));
        assertFalse(v.contains("Good"));
        TokenBuffer tokens = new TokenBuffer();
        Tokenizer.standard().tokenize("rare OK", tokens);
        assertEquals(-1, v.lookup(tokens, 0));
        assertEquals(3, v.lookup(tokens, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> v.token(5));
    }

    @Test
    void explicitUnkCountsAreMerged() {
        Vocabulary v = Vocabulary.builder().add("<unk>", 4).add("a", 2).add("b").build(2, 10);
        assertEquals(List.of("<unk>", "a"), v.tokens());
        assertEquals(5, v.count(0));
    }

    @Test
    void tokensThatCannotBeSavedAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.builder().add("a\tb").build(1, 10));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.builder().add("").build(1, 10));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.builder().add("a").build(0, 10));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.builder().add("a", -1));
    }

    @Test
    void saveAndLoadRoundTrip() throws IOException {
        Vocabulary v = Vocabulary.fromTexts(List.of("emoji 👍 and 很好 don't", "👍 café"), Tokenizer.standard(), 1, 100);
        Path file = dir.resolve("vocab.txt");
        v.save(file);
        String written = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(written.startsWith("<unk>\t0\n👍\t2\n"), written);
        Vocabulary back = Vocabulary.load(file);
        assertEquals(v.tokens(), back.tokens());
        for (int id = 0; id < v.size(); id++) {
            assertEquals(v.count(id), back.count(id));
        }
        StringWriter again = new StringWriter();
        back.write(again);
        assertEquals(written, again.toString());
    }

    @Test
    void loadAcceptsCrlfAndNoFinalNewline() throws IOException {
        Vocabulary v = Vocabulary.parse("<unk>\t3\r\nb\t2\r\na\t9", "v.txt");
        assertEquals(List.of("<unk>", "b", "a"), v.tokens()); // file order is id order
        assertEquals(9, v.count(2));
    }

    @Test
    void malformedFilesNameFileAndLine() throws IOException {
        assertLoadError("", 0, "empty file");
        assertLoadError("<unk>\t0\ngood 3\n", 2, "no tab");
        assertLoadError("<unk>\t0\ngood\t3\t4\n", 2, "more than one tab");
        assertLoadError("<unk>\t0\ngood\tthree\n", 2, "count 'three' is not a non-negative integer");
        assertLoadError("<unk>\t0\ngood\t-3\n", 2, "not a non-negative integer");
        assertLoadError("<unk>\t0\ngood\t3\nbad\t1\ngood\t1\n", 4, "duplicate token 'good' (first on line 2)");
        assertLoadError("good\t3\n", 1, "the first token must be <unk>");
        assertLoadError("<unk>\t0\n\ngood\t1\n", 2, "blank line");
        assertLoadError("<unk>\t0\n\tgood\n", 2, "empty token");
    }

    @Test
    void invalidUtf8NamesTheLine() throws IOException {
        Path file = dir.resolve("bad.vocab");
        byte[] head = "<unk>\t0\ngood\t2\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'b', (byte) 0xc3, (byte) 0x28, '\t', '1', '\n'};
        byte[] all = new byte[head.length + bad.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        Files.write(file, all);
        TextFormatException e = assertThrows(TextFormatException.class, () -> Vocabulary.load(file));
        assertEquals(3, e.line());
        assertEquals(file + " line 3: invalid UTF-8", e.getMessage());
    }

    private void assertLoadError(String content, int line, String problemPart) throws IOException {
        Path file = dir.resolve("v" + Math.abs(content.hashCode()) + ".txt");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        TextFormatException e = assertThrows(TextFormatException.class, () -> Vocabulary.load(file), content);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(file.toString(), e.source());
        assertTrue(e.getMessage().contains(problemPart), e.getMessage());
        assertTrue(e.getMessage().startsWith(file + (line > 0 ? " line " + line + ": " : ": ")), e.getMessage());
    }
}
