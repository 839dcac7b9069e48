package dev.keel.text.data;

import dev.keel.core.testing.Allocations;
import dev.keel.text.TextFiles;
import dev.keel.text.TextFormatException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The readers on hostile bytes: whatever the input, {@link LabeledTextReader#read(byte[], String)}
 * and {@link LabeledTextReader#readTexts(byte[], String)} return well-formed rows (the texts agreeing
 * with the labeled rows) or throw a {@link TextFormatException} naming the source; never another
 * exception, never slower than a time limit, never allocating more than a fixed multiple of the
 * input (a file cannot make keel run out of memory out of proportion to its size).
 */
class ReaderPropertiesTest {

    /** Per read; a read of a few KB takes well under a millisecond, so only a hang comes near it. */
    private static final Duration TIME_LIMIT = Duration.ofSeconds(5);
    /**
     * Allowed allocation per input byte, plus {@link #ALLOCATION_SLACK}. Measured worst case 42
     * (2026-11-28, JDK 17), in {@link #hugePathologicalInputsStayLinear}: a 1 MB line of commas or
     * tabs (the parser's field offsets) and 1 MB of blank lines in skip mode (a skipped row per
     * byte); ordinary text needs 2 to 4 (UTF-16 chars, then the row strings).
     */
    private static final long BYTES_PER_INPUT_BYTE = 64;
    private static final long ALLOCATION_SLACK = 2 << 20;

    private static final List<LabeledTextReader> READERS = readers();

    private static List<LabeledTextReader> readers() {
        LabeledTextReader base = new LabeledTextReader();
        List<LabeledTextReader> list = new java.util.ArrayList<>();
        for (LabeledTextReader.Format format : LabeledTextReader.Format.values()) {
            for (boolean skip : new boolean[] {false, true}) {
                list.add(base.withFormat(format).withSkipBadRows(skip));
            }
        }
        return List.copyOf(list);
    }

    @Property(tries = 400)
    void arbitraryBytesGiveRowsOrAClearError(@ForAll @Size(max = 3000) byte[] bytes) {
        readWithEveryReader(bytes);
    }

    @Property(tries = 600)
    void structuredNoiseGivesRowsOrAClearError(@ForAll("structured") byte[] bytes) {
        readWithEveryReader(bytes);
    }

    @Property(tries = 150)
    void gzippedStructuredNoiseGivesRowsOrAClearError(@ForAll("structured") byte[] bytes,
                                                      @ForAll("cut") int cut) {
        byte[] gz = gzip(bytes);
        // whole, or cut short: a truncated gzip stream is a clear error too
        readWithEveryReader(cut <= 0 || cut >= gz.length ? gz : Arrays.copyOf(gz, cut));
    }

    private static void readWithEveryReader(byte[] bytes) {
        readWithEveryReader(bytes, true);
    }

    private static void readWithEveryReader(byte[] bytes, boolean twice) {
        for (LabeledTextReader reader : READERS) {
            String source = "fuzz-" + reader.format() + (reader.skipBadRows() ? "-skip" : "");
            Outcome<LabeledDataset> labeled = timedRead(LabeledTextReader::read, reader, bytes, source);
            Outcome<TextRows> texts = timedRead(LabeledTextReader::readTexts, reader, bytes, source + "-texts");
            if (labeled.data != null) {
                checkRows(labeled.data, reader);
                assertTrue(texts.data != null, () -> source + ": read gives rows but readTexts fails: " + texts.error);
                checkTextsAgree(labeled.data, texts.data, reader);
            }
            if (texts.data != null) {
                checkTextRows(texts.data, reader);
            }
            if (twice) { // deterministic: the same bytes give the same rows or the same message
                assertEquals(labeled.describe(), read(LabeledTextReader::read, reader, bytes, source).describe(), source);
                assertEquals(texts.describe(), read(LabeledTextReader::readTexts, reader, bytes, source + "-texts")
                        .describe(), source);
            }
        }
    }

    /** One way of reading: {@link LabeledTextReader#read} or {@link LabeledTextReader#readTexts}. */
    private interface Read<T> {
        T read(LabeledTextReader reader, byte[] bytes, String source) throws IOException;
    }

    /** A read within the time limit and the allocation bound. */
    private static <T> Outcome<T> timedRead(Read<T> how, LabeledTextReader reader, byte[] bytes, String source) {
        Outcome<T> outcome = assertTimeoutPreemptively(TIME_LIMIT, () -> read(how, reader, bytes, source),
                () -> source + ": a read of " + bytes.length + " bytes took longer than " + TIME_LIMIT);
        if (Allocations.supported()) {
            long allowed = BYTES_PER_INPUT_BYTE * bytes.length + ALLOCATION_SLACK;
            assertTrue(outcome.allocated <= allowed, () -> source + ": " + outcome.allocated + " bytes allocated for "
                    + bytes.length + " input bytes (allowed " + allowed + ")");
        }
        return outcome;
    }

    /** Either rows or the message, and what the read allocated. */
    private record Outcome<T>(T data, String error, long allocated) {
        String describe() {
            if (data == null) {
                return error;
            }
            if (data instanceof LabeledDataset d) {
                return d.texts() + " " + d.labelNames() + " " + Arrays.toString(d.labelIds()) + " " + d.skippedRows();
            }
            TextRows t = (TextRows) data;
            return t.texts() + " " + lines(t) + " " + t.skippedRows();
        }
    }

    private static <T> Outcome<T> read(Read<T> how, LabeledTextReader reader, byte[] bytes, String source) {
        long before = Allocations.currentThreadAllocatedBytes();
        try {
            T data = how.read(reader, bytes, source);
            return new Outcome<>(data, null, Allocations.currentThreadAllocatedBytes() - before);
        } catch (TextFormatException e) {
            assertTrue(e.getMessage().startsWith(source), e.getMessage());
            assertEquals(source, e.source());
            assertTrue(e.line() >= 0, e.getMessage());
            assertFalse(e.problem().isBlank(), e.getMessage());
            return new Outcome<>(null, e.getMessage(), Allocations.currentThreadAllocatedBytes() - before);
        } catch (IOException e) {
            throw new AssertionError(source + ": an IOException that is not a TextFormatException: " + e, e);
        } catch (RuntimeException e) {
            throw new AssertionError(source + ": " + e, e);
        }
    }

    /**
     * Texts alone differ from labeled rows only by not judging labels: every labeled row is a text
     * row (same line, same text), every record is a row or a skipped row at the same line in both,
     * and a row skipped without labels is skipped with them too.
     */
    private static void checkTextsAgree(LabeledDataset labeled, TextRows texts, LabeledTextReader reader) {
        java.util.Map<Integer, String> textAt = new java.util.HashMap<>();
        for (int r = 0; r < texts.size(); r++) {
            textAt.put(texts.line(r), texts.text(r));
        }
        for (int r = 0; r < labeled.size(); r++) {
            assertEquals(labeled.text(r), textAt.get(labeled.line(r)), "the text at line " + labeled.line(r));
        }
        List<Integer> labeledRecords = new java.util.ArrayList<>();
        for (int r = 0; r < labeled.size(); r++) {
            labeledRecords.add(labeled.line(r));
        }
        labeled.skippedRows().forEach(s -> labeledRecords.add(s.line()));
        List<Integer> textRecords = new java.util.ArrayList<>(lines(texts));
        texts.skippedRows().forEach(s -> textRecords.add(s.line()));
        assertEquals(labeledRecords.stream().sorted().toList(), textRecords.stream().sorted().toList(),
                "the same records, rows or skipped");
        List<Integer> skippedWithLabels = labeled.skippedRows().stream().map(SkippedRow::line).toList();
        for (SkippedRow s : texts.skippedRows()) {
            assertTrue(skippedWithLabels.contains(s.line()), s + " skipped without labels but not with them");
        }
        if (!reader.skipBadRows()) {
            assertEquals(labeled.texts(), texts.texts());
        }
    }

    /** What the reader promises about the texts it returns. */
    private static void checkTextRows(TextRows rows, LabeledTextReader reader) {
        assertTrue(rows.size() > 0, "texts are never empty");
        int previousLine = 0;
        for (int r = 0; r < rows.size(); r++) {
            assertFalse(blank(rows.text(r)), "blank text in row " + r);
            assertTrue(rows.line(r) > previousLine, "lines increase: row " + r + " at " + rows.line(r));
            previousLine = rows.line(r);
        }
        if (!reader.skipBadRows()) {
            assertTrue(rows.skippedRows().isEmpty());
        }
    }

    private static List<Integer> lines(TextRows rows) {
        return java.util.stream.IntStream.range(0, rows.size()).map(rows::line).boxed().toList();
    }

    /** What the reader promises about the rows it returns. */
    private static void checkRows(LabeledDataset data, LabeledTextReader reader) {
        assertTrue(data.size() > 0, "a dataset is never empty");
        int previousLine = 0;
        for (int r = 0; r < data.size(); r++) {
            assertFalse(blank(data.text(r)), "blank text in row " + r);
            assertFalse(blank(data.label(r)), "blank label in row " + r);
            assertEquals(data.label(r), data.labelNames().get(data.labelId(r)));
            assertTrue(data.line(r) > previousLine, "lines increase: row " + r + " at " + data.line(r));
            previousLine = data.line(r);
        }
        List<String> sorted = data.labelNames().stream().sorted().toList();
        assertEquals(sorted, data.labelNames(), "label ids follow the sorted names");
        if (!reader.skipBadRows()) {
            assertTrue(data.skippedRows().isEmpty());
        }
        for (SkippedRow s : data.skippedRows()) {
            assertTrue(s.line() >= 1, s.toString());
        }
    }

    /** The readers' notion of blank: whitespace and space characters (no-break spaces too) only. */
    private static boolean blank(String s) {
        return s.chars().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
    }

    // ------------------------------------------------------------------ large and pathological inputs

    @Test
    void hugePathologicalInputsStayLinear() {
        int size = 1 << 20;
        List<byte[]> inputs = List.of(
                repeat("\"", size), repeat("\n", size), repeat("\r", size), repeat(",", size), repeat("\t", size),
                repeat("__label__", size), repeat("a", size), repeat("\"\"", size),
                concat("text,label\n".getBytes(StandardCharsets.UTF_8), repeat("x", size), ",y\n".getBytes(StandardCharsets.UTF_8)),
                concat("text,label\n".getBytes(StandardCharsets.UTF_8), repeat("\"a,\n", size / 4)),
                concat("text\tlabel\n".getBytes(StandardCharsets.UTF_8), repeat("a\tb\n", size / 4)),
                filled((byte) 0xff, size), filled((byte) 0xc3, size), filled((byte) 0, size));
        for (byte[] input : inputs) {
            readWithEveryReader(input, false);
        }
    }

    @Test
    void aGzipBombIsStoppedAtTheLimit() throws IOException {
        byte[] bomb = gzip(new byte[16 << 20]); // 16 MB of zeros in about 16 KB
        long limit = 1 << 20;
        long before = Allocations.currentThreadAllocatedBytes();
        TextFormatException e = assertThrows(TextFormatException.class,
                () -> TextFiles.gunzipIfCompressed(bomb, "bomb.csv.gz", limit));
        long allocated = Allocations.currentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains("decompresses to more than " + limit), e.getMessage());
        if (Allocations.supported()) {
            assertTrue(allocated < 4 * limit, allocated + " bytes allocated to refuse a bomb at " + limit);
        }
        // content of exactly the limit still reads; the default limit is what readers use
        byte[] exact = new byte[(int) limit];
        Arrays.fill(exact, (byte) 'a');
        assertEquals(limit, TextFiles.gunzipIfCompressed(gzip(exact), "exact.gz", limit).length);
        assertEquals(1L << 30, TextFiles.MAX_BYTES);
    }

    // ------------------------------------------------------------------ generators

    private static final byte[][] PIECES = pieces();

    private static byte[][] pieces() {
        String[] text = {"text", "label", "a", "good", "好", "é", ",", "\"", "\"\"", "\n", "\r", "\r\n", "\t", " ",
            "__label__", "__label__x ", "__label__", "text,label\n", "label,text\n", "text\tlabel\n", "\u2028", "\ufeff",
            "\ud83d\ude00", "0", "1"};
        byte[][] raw = {{(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
            {(byte) 0xfe, (byte) 0xff}, {0}, {(byte) 0x1f, (byte) 0x8b}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}};
        byte[][] all = new byte[text.length + raw.length][];
        for (int i = 0; i < text.length; i++) {
            all[i] = text[i].getBytes(StandardCharsets.UTF_8);
        }
        System.arraycopy(raw, 0, all, text.length, raw.length);
        return all;
    }

    /** Pieces of CSV, TSV and fastText syntax, text, and broken UTF-8, after a header most of the time. */
    @Provide
    Arbitrary<byte[]> structured() {
        Arbitrary<String> header = Arbitraries.of("text,label\n", "label,text,id\r\n", "text\tlabel\n", "", "\ufefftext,label\n",
                "__label__a hello\n");
        Arbitrary<List<Integer>> body = Arbitraries.integers().between(0, PIECES.length - 1).list().ofMaxSize(120);
        return header.flatMap(h -> body.map(indices -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(h.getBytes(StandardCharsets.UTF_8));
            for (int i : indices) {
                out.writeBytes(PIECES[i]);
            }
            return out.toByteArray();
        }));
    }

    @Provide
    Arbitrary<Integer> cut() {
        return Arbitraries.integers().between(-40, 200);
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] repeat(String piece, int size) {
        byte[] p = piece.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[size - size % p.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = p[i % p.length];
        }
        return out;
    }

    private static byte[] filled(byte b, int size) {
        byte[] out = new byte[size];
        Arrays.fill(out, b);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
