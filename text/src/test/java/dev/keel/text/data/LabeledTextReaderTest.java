package dev.keel.text.data;

import dev.keel.text.TextFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabeledTextReaderTest {

    @TempDir
    Path dir;

    private final LabeledTextReader reader = new LabeledTextReader();

    private Path write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content);
        }
        return bytes.toByteArray();
    }

    private TextFormatException readError(LabeledTextReader r, Path file) {
        return assertThrows(TextFormatException.class, () -> r.read(file));
    }

    // ------------------------------------------------------------------ CSV

    @Test
    void quotedFieldsWithCommasDoubledQuotesAndNewlines() throws IOException {
        Path file = write("tricky.csv", "id,text,label\n"
                + "1,\"plain, with comma\",pos\n"
                + "2,\"she said \"\"great\"\"\",neg\n"
                + "3,\"line one\nline two\r\nline three\",pos\n"
                + "4,unquoted text,neg\n"
                + "5,\"\"\"quoted start\",pos\n");
        LabeledDataset d = reader.read(file);
        assertEquals(5, d.size());
        assertEquals("plain, with comma", d.text(0));
        assertEquals("she said \"great\"", d.text(1));
        assertEquals("line one\nline two\r\nline three", d.text(2));
        assertEquals("unquoted text", d.text(3));
        assertEquals("\"quoted start", d.text(4));
        assertEquals(List.of(2, 3, 4, 7, 8), List.of(d.line(0), d.line(1), d.line(2), d.line(3), d.line(4)));
        assertEquals(List.of("neg", "pos"), d.labelNames());
        assertEquals(1, d.labelId(0));
        assertEquals("pos", d.label(0));
        assertEquals(Map.of("neg", 2, "pos", 3), d.classCountsByName());
    }

    @Test
    void crlfBomNoFinalNewlineAndEmptyLastField() throws IOException {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        Path file = write("crlf.csv", concat(bom, utf8("text,label,note\r\n\"a\r\nb\",x,\r\nc,y,z")));
        LabeledDataset d = reader.read(file);
        assertEquals(List.of("a\r\nb", "c"), d.texts());
        assertEquals(List.of("x", "y"), d.labelNames());
        assertEquals(4, d.line(1));
    }

    @Test
    void loneCarriageReturnsEndLinesToo() throws IOException {
        LabeledDataset d = reader.read(write("mac.csv", "text,label\rone,a\rtwo,b\r"));
        assertEquals(List.of("one", "two"), d.texts());
        assertEquals(3, d.line(1));
    }

    @Test
    void gzipIsRecognizedByMagicBytes() throws IOException {
        byte[] csv = utf8("text,label\n\"好吃, 很快\",1\nbad,0\n");
        LabeledDataset a = reader.read(write("reviews.csv.gz", gzip(csv)));
        LabeledDataset b = reader.read(write("reviews-really-gzip.csv", gzip(csv)));
        assertEquals(List.of("好吃, 很快", "bad"), a.texts());
        assertEquals(a.texts(), b.texts());
        TextFormatException e = readError(reader, write("broken.csv.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2}));
        assertTrue(e.getMessage().contains("broken gzip data"), e.getMessage());
    }

    @Test
    void columnsAreChosenByHeaderName() throws IOException {
        Path file = write("foods.csv", "\"product\",\"review\",\"score\"\n\"B1\",\"Tasty.<br />Yes\",\"great\"\n");
        LabeledDataset d = LabeledTextReader.csv("review", "score").read(file);
        assertEquals("Tasty.<br />Yes", d.text(0));
        assertEquals("great", d.label(0));
        TextFormatException e = readError(reader, file);
        assertEquals(1, e.line());
        assertEquals(file + " line 1: no text column 'text' in the header [product, review, score];"
                + " choose the column by its header name", e.getMessage());
        TextFormatException label = readError(reader.withColumns("review", "stars"), file);
        assertTrue(label.getMessage().contains("no label column 'stars'"), label.getMessage());
        TextFormatException twice = readError(reader, write("twice.csv", "text,label,text\na,b,c\n"));
        assertTrue(twice.getMessage().contains("names column 'text' twice"), twice.getMessage());
    }

    @Test
    void badRowsNameFileLineAndProblem() throws IOException {
        String header = "text,label\n";
        assertBadRow(header + "ok,a\nonly one field\n", 3, "expected 2 fields (as in the header), found 1");
        assertBadRow(header + "ok,a\ntoo,many,fields\n", 3, "expected 2 fields (as in the header), found 3");
        assertBadRow(header + "ok,a\n\"never closed,a\nmore,b\n", 3, "unterminated quoted field 1 (opened on line 3");
        assertBadRow(header + "ok,a\nsays \"hi\",b\n", 3, "quote inside unquoted field 1");
        assertBadRow(header + "ok,a\n\"closed\"x,b\n", 3, "unexpected character 'x' after the closing quote of field 1");
        assertBadRow(header + "ok,a\n\"  \",b\n", 3, "empty text in column 'text'");
        assertBadRow(header + "ok,a\nfine,\n", 3, "empty label in column 'label'");
        assertBadRow(header + "ok,a\n\nnext,b\n", 3, "blank line");
        assertBadRow(header + "\"multi\nline\",a\nok,a,extra\n", 4, "expected 2 fields");
    }

    @Test
    void invalidUtf8IsReportedAtItsLine() throws IOException {
        byte[] content = concat(utf8("text,label\nfine,a\n\"two\nlines "), new byte[] {(byte) 0xe4, (byte) 0xbd},
                utf8("\",b\n"));
        Path file = write("bad-utf8.csv", content);
        TextFormatException e = readError(reader, file);
        assertEquals(file + " line 4: invalid UTF-8", e.getMessage());
        LabeledDataset skipped = reader.withSkipBadRows(true).read(file);
        assertEquals(1, skipped.size());
        assertEquals(List.of(new SkippedRow(4, "invalid UTF-8")), skipped.skippedRows());
        TextFormatException header = readError(reader, write("bad-header.csv", concat(utf8("te"),
                new byte[] {(byte) 0xff}, utf8("xt,label\na,b\n"))));
        assertEquals("invalid UTF-8 in the header", header.problem());
    }

    @Test
    void wholeFileProblemsAlwaysThrow() throws IOException {
        LabeledTextReader skipping = reader.withSkipBadRows(true);
        assertEquals("empty file", readError(skipping, write("empty.csv", "")).problem());
        assertEquals("empty file", readError(skipping, write("bom.csv", new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf})).problem());
        assertEquals("no rows", readError(skipping, write("header.csv", "text,label\n")).problem());
        TextFormatException allBad = readError(skipping, write("allbad.csv", "text,label\n,a\n"));
        assertEquals("no valid rows (1 skipped; first: line 2: empty text in column 'text')", allBad.problem());
        TextFormatException utf16 = readError(skipping, write("utf16.csv", concat(new byte[] {(byte) 0xff, (byte) 0xfe},
                "text,label".getBytes(StandardCharsets.UTF_16LE))));
        assertTrue(utf16.problem().contains("UTF-16"), utf16.getMessage());
        TextFormatException badHeader = readError(skipping, write("quote.csv", "\"text,label\n"));
        assertTrue(badHeader.problem().startsWith("bad header: unterminated quoted field"), badHeader.getMessage());
        TextFormatException unknownFormat = readError(reader, write("data.json", "{}"));
        assertTrue(unknownFormat.problem().contains("cannot tell the format"), unknownFormat.getMessage());
    }

    @Test
    void skippingReportsEveryBadRowAndKeepsTheGoodOnes() throws IOException {
        Path file = write("mixed.csv", "text,label\n"
                + "good one,a\n"          // 2
                + "no label here\n"       // 3: 1 field
                + "\"unfinished,b\n"      // 4: unterminated quote: swallows the rest
                + "never,read\n");
        LabeledDataset d = reader.withSkipBadRows(true).read(file);
        assertEquals(List.of("good one"), d.texts());
        assertEquals(2, d.skippedRows().size());
        assertEquals(3, d.skippedRows().get(0).line());
        assertEquals(4, d.skippedRows().get(1).line());
        assertTrue(d.skippedRows().get(1).problem().contains("lines 4 to 6"), d.skippedRows().get(1).problem());

        Path recoverable = write("recover.csv", "text,label\n"
                + "a,x\n"
                + "bad \"quote\",y\n"      // 3
                + "\"ok\"junk,y\n"         // 4
                + ",y\n"                   // 5
                + "b,y\n"                  // 6
                + "\n"                     // 7
                + "c,x,extra\n"            // 8
                + "\"d\nstill d\",x\n");   // 9-10
        LabeledDataset r = reader.withSkipBadRows(true).read(recoverable);
        assertEquals(List.of("a", "b", "d\nstill d"), r.texts());
        assertEquals(List.of(3, 4, 5, 7, 8), r.skippedRows().stream().map(SkippedRow::line).toList());
        assertEquals(9, r.line(2));
        assertTrue(r.summary().endsWith("; 5 skipped"), r.summary());
    }

    // ------------------------------------------------------------------ TSV and fastText

    @Test
    void tsvHasNoQuoting() throws IOException {
        Path file = write("data.tsv", "label\ttext\r\npos\tsays \"hi\", fine\r\nneg\tmeh\r\n");
        LabeledDataset d = reader.read(file);
        assertEquals(List.of("says \"hi\", fine", "meh"), d.texts());
        TextFormatException e = readError(reader, write("short.tsv", "label\ttext\npos\n"));
        assertEquals(2, e.line());
        assertTrue(e.problem().startsWith("expected 2 fields"), e.problem());
    }

    @Test
    void fastTextLines() throws IOException {
        Path file = write("train.txt", "__label__pos Great taste!\r\n__label__neg\tnot good  \n__label__pos 很好吃\n");
        LabeledDataset d = reader.read(file);
        assertEquals(List.of("Great taste!", "not good", "很好吃"), d.texts());
        assertEquals(List.of("neg", "pos"), d.labelNames());
        assertEquals(List.of("pos", "neg", "pos"), List.of(d.label(0), d.label(1), d.label(2)));
        assertEquals(3, d.line(2));
    }

    @Test
    void badFastTextLines() throws IOException {
        assertBadFastText("__label__a ok\nno label at all\n", 2, "no label");
        assertBadFastText("__label__a ok\n__label__a __label__b two\n", 2, "2 labels [a, b]");
        assertBadFastText("__label__a ok\n__label__ text\n", 2, "empty label");
        assertBadFastText("__label__a ok\n__label__b   \n", 2, "empty text");
        assertBadFastText("__label__a ok\n\n__label__b fine\n", 2, "blank line");
        // blank as CSV fields are: Unicode line separators and no-break spaces are blank too
        assertBadFastText("__label__a ok\n__label__\u2028 text\n", 2, "empty label");
        assertBadFastText("__label__a ok\n__label__\u00a0 text\n", 2, "empty label");
        assertBadFastText("__label__a ok\n__label__b \u00a0\u3000\n", 2, "empty text");
        LabeledDataset d = reader.withSkipBadRows(true).read(write("some.ft", "__label__a ok\n\nnope\n__label__b fine"));
        assertEquals(2, d.size());
        assertEquals(List.of(2, 3), d.skippedRows().stream().map(SkippedRow::line).toList());
    }

    @Test
    void aHugeHeaderIsRefusedAndQuotedShort() throws IOException {
        String wide = "text,label," + "c,".repeat(LabeledTextReader.MAX_COLUMNS) + "z\n";
        TextFormatException e = readError(reader, write("wide.csv", wide + "a,b\n"));
        assertTrue(e.problem().startsWith("bad header: " + (LabeledTextReader.MAX_COLUMNS + 3) + " columns, more than "
                + LabeledTextReader.MAX_COLUMNS), e.getMessage());
        String longNames = "x".repeat(5000) + ",label\na,b\n";
        e = readError(reader, write("long.csv", longNames));
        assertTrue(e.getMessage().length() < 400, e.getMessage());
        assertTrue(e.problem().startsWith("no text column 'text' in the header [xxx") && e.problem().contains("... (2 columns)"),
                e.getMessage());
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedBeforeReading() throws IOException {
        Path huge = dir.resolve("huge.csv");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(dev.keel.text.TextFiles.MAX_BYTES + 1); // sparse: nothing is written
        }
        TextFormatException e = readError(reader, huge);
        assertTrue(e.problem().contains("more than " + dev.keel.text.TextFiles.MAX_BYTES), e.getMessage());
    }

    @Test
    void formatFromNameOrOption() throws IOException {
        assertEquals(LabeledTextReader.Format.CSV, LabeledTextReader.formatOf("a/b/Train.CSV.gz"));
        assertEquals(LabeledTextReader.Format.TSV, LabeledTextReader.formatOf("x.tab"));
        assertEquals(LabeledTextReader.Format.FASTTEXT, LabeledTextReader.formatOf("x.ft"));
        assertThrows(IllegalArgumentException.class, () -> LabeledTextReader.formatOf("x.json"));
        Path odd = write("reviews.data", "__label__a fine\n");
        assertEquals(1, reader.withFormat(LabeledTextReader.Format.FASTTEXT).read(odd).size());
    }

    @Test
    void labelIdsFollowSortedNamesOrAGivenOrder() throws IOException {
        LabeledDataset d = reader.read(write("labels.csv", "text,label\na,other\nb,great\nc,other\n"));
        assertEquals(List.of("great", "other"), d.labelNames());
        assertEquals(1, d.labelId(0));
        LabeledDataset remapped = d.withLabelNames(List.of("other", "great", "unused"));
        assertEquals(0, remapped.labelId(0));
        assertEquals(1, remapped.labelId(1));
        assertEquals(3, remapped.numClasses());
        assertEquals(List.of(2, 1, 0), java.util.Arrays.stream(remapped.classCounts()).boxed().toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withLabelNames(List.of("great")));
        assertTrue(e.getMessage().contains("line 2: label 'other' is not among [great]"), e.getMessage());
    }

    // ------------------------------------------------------------------ texts without labels

    @Test
    void textsAloneNeedOnlyTheTextColumn() throws IOException {
        Path file = write("new.csv", "id,text\n7,\"first, with comma\"\n8,\"two\nlines\"\n9,third\n");
        TextRows rows = reader.readTexts(file);
        assertTexts(rows, List.of("first, with comma", "two\nlines", "third"), List.of(2, 3, 5));
        assertEquals(file.toString(), rows.source());
        assertTrue(rows.skippedRows().isEmpty());
        // the labeled reader refuses the same file, naming the missing column
        assertEquals(file + " line 1: no label column 'label' in the header [id, text]; choose the column by its"
                + " header name", readError(reader, file).getMessage());

        TextRows tsv = reader.withColumns("review", "score").readTexts(write("new.tsv", "review\r\nsays \"hi\"\r\nmeh\r\n"));
        assertEquals(List.of("says \"hi\"", "meh"), tsv.texts());
    }

    @Test
    void textsAloneIgnoreALabelColumnEvenWithEmptyValues() throws IOException {
        Path file = write("labeled.csv", "text,label\nfine,great\nno label,\nalso fine,other\n");
        assertTexts(reader.readTexts(file), List.of("fine", "no label", "also fine"), List.of(2, 3, 4));
        assertEquals("empty label in column 'label'", readError(reader, file).problem());
        // where the labeled reader accepts a file, the texts and lines are the same
        Path both = write("both.csv", "label,id,text\na,1,\"x, y\"\nb,2,z\n");
        LabeledDataset labeled = reader.read(both);
        assertTexts(reader.readTexts(both), labeled.texts(), List.of(labeled.line(0), labeled.line(1)));
    }

    @Test
    void textsAloneNameTheFileLineAndMissingColumn() throws IOException {
        Path noText = write("reviews.csv", "id,review\n1,tasty\n");
        TextFormatException e = assertThrows(TextFormatException.class, () -> reader.readTexts(noText));
        assertEquals(noText + " line 1: no text column 'text' in the header [id, review]; choose the column by its"
                + " header name", e.getMessage());
        Path shortRow = write("short.csv", "id,text\n1,ok\n2\n");
        e = assertThrows(TextFormatException.class, () -> reader.readTexts(shortRow));
        assertEquals(shortRow + " line 3: expected 2 fields (as in the header), found 1", e.getMessage());
        Path blank = write("blank.csv", "text,label\nok,a\n\"  \",b\n");
        e = assertThrows(TextFormatException.class, () -> reader.readTexts(blank));
        assertEquals(blank + " line 3: empty text in column 'text'", e.getMessage());
        assertEquals("no rows", assertThrows(TextFormatException.class,
                () -> reader.readTexts(write("header.csv", "text\n"))).problem());
        assertEquals("empty file", assertThrows(TextFormatException.class,
                () -> reader.readTexts(write("empty.txt", ""))).problem());
    }

    @Test
    void textsAloneFromFastTextLinesWithOrWithoutLabels() throws IOException {
        Path file = write("mixed.txt", "__label__pos Great taste!\r\nplain line, no label\n"
                + "__label__a __label__b two labels\n__label__ empty name\n  spaced  \n");
        assertTexts(reader.readTexts(file), List.of("Great taste!", "plain line, no label", "two labels", "empty name",
                "spaced"), List.of(1, 2, 3, 4, 5));
        Path bad = write("bad.ft", "first\n\n__label__x   \nlast\n");
        TextFormatException e = assertThrows(TextFormatException.class, () -> reader.readTexts(bad));
        assertEquals(bad + " line 2: blank line", e.getMessage());
        TextRows skipped = reader.withSkipBadRows(true).readTexts(bad);
        assertEquals(List.of("first", "last"), skipped.texts());
        assertEquals(List.of(new SkippedRow(2, "blank line"), new SkippedRow(3, "empty text")), skipped.skippedRows());
        assertEquals(bad + ": 2 rows; 2 skipped", skipped.toString());
    }

    @Test
    void textsAloneDoNotCareWhatTheLabelColumnIsCalled() throws IOException {
        Path file = write("label-named.csv", "id,label\n1,the text is in 'label'\n");
        LabeledTextReader same = reader.withColumns("label", "label");
        assertEquals(List.of("the text is in 'label'"), same.readTexts(file).texts());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> same.read(file));
        assertEquals("text and label column are both 'label'", e.getMessage());
        // fastText has no columns: their names do not matter
        assertEquals(1, same.read(write("ft.txt", "__label__a text\n")).size());
    }

    @Test
    void textsAloneFromGzip() throws IOException {
        TextRows rows = reader.readTexts(write("new.csv.gz", gzip(utf8("text\n\"好吃, 很快\"\nbad\n"))));
        assertEquals(List.of("好吃, 很快", "bad"), rows.texts());
        assertThrows(IndexOutOfBoundsException.class, () -> rows.text(2));
    }

    private static void assertTexts(TextRows rows, List<String> texts, List<Integer> lines) {
        assertEquals(texts, rows.texts());
        assertEquals(lines, java.util.stream.IntStream.range(0, rows.size()).map(rows::line).boxed().toList());
    }

    private void assertBadRow(String csv, int line, String problemStart) throws IOException {
        Path file = write("bad" + Math.abs(csv.hashCode()) + ".csv", csv);
        TextFormatException e = readError(reader, file);
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.problem().startsWith(problemStart), e.getMessage());
        assertEquals(file + " line " + line + ": " + e.problem(), e.getMessage());
        LabeledDataset skipped = reader.withSkipBadRows(true).read(file);
        assertTrue(skipped.skippedRows().contains(new SkippedRow(line, e.problem())), skipped.skippedRows().toString());
    }

    private void assertBadFastText(String content, int line, String problemStart) throws IOException {
        Path file = write("bad" + Math.abs(content.hashCode()) + ".txt", content);
        TextFormatException e = readError(reader, file);
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.problem().startsWith(problemStart), e.getMessage());
    }
}
