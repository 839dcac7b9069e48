package dev.keel.text.data;

import dev.keel.text.TextFiles;
import dev.keel.text.TextFormatException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads labeled texts: CSV (RFC 4180), TSV, or fastText's {@code __label__name text} lines.
 * Immutable; configure with the {@code with...} methods.
 *
 * <p>Input: gzip-compressed or not (recognized by the magic bytes 1f 8b, whatever the name), UTF-8
 * with or without a byte order mark, lines ending in LF, CRLF or CR. Decoding is strict: invalid
 * UTF-8 is a bad row (never silently replaced).
 *
 * <ul>
 *   <li>CSV: the first record is the header; the text and label columns are chosen by exact header
 *       name ({@link #withColumns}, defaults {@code text} and {@code label}; no fallback to other
 *       names, the error lists the header). Quoted fields may hold commas, doubled quotes and line
 *       breaks; a quote in an unquoted field is an error.</li>
 *   <li>TSV: the same, split on tabs, with no quoting (a record is a line; quotes are text).</li>
 *   <li>fastText: each line is {@code __label__name} then the text; one label per line.</li>
 * </ul>
 * The format comes from {@link #withFormat} or else the file name ({@link #formatOf}).
 *
 * <p>Bad rows: wrong number of fields, an unterminated quote, a stray quote, a blank line, an empty
 * (blank) text or label, invalid UTF-8, a fastText line without (or with several) labels. By default
 * the first one throws a {@link TextFormatException} naming the file, line and problem; with
 * {@link #withSkipBadRows skipping} each is left out and listed in
 * {@link LabeledDataset#skippedRows()}. Problems with the file as a whole (empty, no rows, a
 * missing column, a bad header, broken gzip, UTF-16) always throw. A bad row is reported at the
 * line where its record starts, except invalid UTF-8, reported at the line of the bad bytes.
 *
 * <p>Texts alone ({@link #readTexts}, for data to predict on): the same formats and rules without
 * the label. CSV and TSV need only the text column; a label column, if there, is not read (its
 * values may be empty). A fastText line's leading {@code __label__} words are optional and left out
 * (any number, empty names too). Every other check, bad row and whole-file problem is as above.
 */
public final class LabeledTextReader {

    public enum Format { CSV, TSV, FASTTEXT }

    public static final String DEFAULT_TEXT_COLUMN = "text";
    public static final String DEFAULT_LABEL_COLUMN = "label";
    public static final String FASTTEXT_LABEL_PREFIX = "__label__";
    /** The most columns a header may have (a spreadsheet's limit is 16,384); more means the file is not a table. */
    public static final int MAX_COLUMNS = 1 << 16;

    private final Format format;
    private final String textColumn;
    private final String labelColumn;
    private final boolean skipBadRows;

    /** Format from the file name, columns {@code text} and {@code label}, bad rows throw. */
    public LabeledTextReader() {
        this(null, DEFAULT_TEXT_COLUMN, DEFAULT_LABEL_COLUMN, false);
    }

    private LabeledTextReader(Format format, String textColumn, String labelColumn, boolean skipBadRows) {
        if (textColumn == null || labelColumn == null) {
            throw new IllegalArgumentException("column names must not be null");
        }
        this.format = format;
        this.textColumn = textColumn;
        this.labelColumn = labelColumn;
        this.skipBadRows = skipBadRows;
    }

    /** A reader for a CSV file with the given text and label columns. */
    public static LabeledTextReader csv(String textColumn, String labelColumn) {
        return new LabeledTextReader(Format.CSV, textColumn, labelColumn, false);
    }

    /** The format to read; null means: tell it from the file name. */
    public LabeledTextReader withFormat(Format newFormat) {
        return new LabeledTextReader(newFormat, textColumn, labelColumn, skipBadRows);
    }

    /**
     * The header names of the text and label columns (CSV and TSV). They must differ for
     * {@link #read}; {@link #readTexts} uses only the text column.
     */
    public LabeledTextReader withColumns(String newTextColumn, String newLabelColumn) {
        return new LabeledTextReader(format, newTextColumn, newLabelColumn, skipBadRows);
    }

    /** Whether bad rows are skipped (and reported) instead of failing the read. */
    public LabeledTextReader withSkipBadRows(boolean skip) {
        return new LabeledTextReader(format, textColumn, labelColumn, skip);
    }

    public Format format() {
        return format;
    }

    public String textColumn() {
        return textColumn;
    }

    public String labelColumn() {
        return labelColumn;
    }

    public boolean skipBadRows() {
        return skipBadRows;
    }

    /**
     * The format a file name implies, a {@code .gz} suffix aside: {@code .csv} CSV, {@code .tsv} and
     * {@code .tab} TSV, {@code .txt}, {@code .ft} and {@code .fasttext} fastText (case-insensitive).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Format formatOf(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".tsv") || name.endsWith(".tab")) {
            return Format.TSV;
        }
        if (name.endsWith(".txt") || name.endsWith(".ft") || name.endsWith(".fasttext")) {
            return Format.FASTTEXT;
        }
        throw new IllegalArgumentException("cannot tell the format of '" + fileName
                + "' from its name (.csv, .tsv, .tab, .txt, .ft, .fasttext, optionally .gz): choose one");
    }

    /** Reads {@code file}. */
    public LabeledDataset read(Path file) throws IOException {
        return read(TextFiles.readBytes(file), file.toString());
    }

    /**
     * Reads the file content {@code bytes} (gzip allowed); {@code source} names it in messages and,
     * when no format is set, tells the format.
     */
    public LabeledDataset read(byte[] bytes, String source) throws IOException {
        return parse(bytes, source, true).labeledRows();
    }

    /** Reads the texts of {@code file}, without labels (see the class comment). */
    public TextRows readTexts(Path file) throws IOException {
        return readTexts(TextFiles.readBytes(file), file.toString());
    }

    /** Reads the texts of the file content {@code bytes}, without labels; as {@link #read(byte[], String)}. */
    public TextRows readTexts(byte[] bytes, String source) throws IOException {
        return parse(bytes, source, false).textRows();
    }

    private Rows parse(byte[] bytes, String source, boolean labeled) throws IOException {
        Format f = format;
        if (f == null) {
            try {
                f = formatOf(source);
            } catch (IllegalArgumentException e) {
                throw new TextFormatException(source, 0, e.getMessage());
            }
        }
        if (labeled && f != Format.FASTTEXT && textColumn.equals(labelColumn)) {
            throw new IllegalArgumentException("text and label column are both '" + textColumn + "'");
        }
        byte[] plain = TextFiles.gunzipIfCompressed(bytes, source);
        TextFiles.rejectUtf16(plain, source);
        TextFiles.Decoded text = TextFiles.decode(plain);
        if (text.length() == 0) {
            throw new TextFormatException(source, 0, "empty file");
        }
        Rows rows = new Rows(source, text, labeled);
        if (f == Format.FASTTEXT) {
            readFastText(text, rows);
        } else {
            readDelimited(text, f == Format.CSV ? ',' : '\t', f == Format.CSV, rows);
        }
        return rows;
    }

    private void readDelimited(TextFiles.Decoded text, char delimiter, boolean quoting, Rows rows)
            throws TextFormatException {
        DelimitedParser parser = new DelimitedParser(text.chars(), text.length(), delimiter, quoting);
        parser.next();
        if (parser.error() != null) {
            throw new TextFormatException(rows.source, parser.errorLine(), "bad header: " + parser.error());
        }
        int invalidLine = rows.invalidUtf8Line(parser.recordStart(), parser.recordEnd(), parser.recordLine());
        if (invalidLine > 0) {
            throw new TextFormatException(rows.source, invalidLine, "invalid UTF-8 in the header");
        }
        if (parser.fieldCount() > MAX_COLUMNS) {
            throw new TextFormatException(rows.source, 1, "bad header: " + parser.fieldCount() + " columns, more than "
                    + MAX_COLUMNS + " (is this a " + (delimiter == ',' ? "CSV" : "TSV") + " file?)");
        }
        List<String> header = new ArrayList<>();
        for (int k = 0; k < parser.fieldCount(); k++) {
            header.add(parser.field(k));
        }
        int textIndex = column(header, textColumn, "text", rows.source);
        int labelIndex = rows.labeled ? column(header, labelColumn, "label", rows.source) : -1;
        int width = header.size();
        while (parser.next()) {
            int line = parser.recordLine();
            String problem = parser.error();
            if (problem != null) {
                line = parser.errorLine();
            } else if (parser.blankLine()) {
                problem = "blank line";
            } else if ((invalidLine = rows.invalidUtf8Line(parser.recordStart(), parser.recordEnd(), line)) > 0) {
                line = invalidLine;
                problem = "invalid UTF-8";
            } else if (parser.fieldCount() != width) {
                problem = "expected " + width + " fields (as in the header), found " + parser.fieldCount();
            } else if (parser.fieldBlank(textIndex)) {
                problem = "empty text in column '" + textColumn + "'";
            } else if (rows.labeled && parser.fieldBlank(labelIndex)) {
                problem = "empty label in column '" + labelColumn + "'";
            }
            if (problem != null) {
                rows.bad(line, problem);
            } else {
                rows.add(parser.field(textIndex), rows.labeled ? parser.field(labelIndex) : null, line);
            }
        }
    }

    private static int column(List<String> header, String name, String role, String source)
            throws TextFormatException {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new TextFormatException(source, 1, "no " + role + " column '" + name + "' in the header "
                    + abbreviated(header) + "; choose the column by its header name");
        }
        if (header.lastIndexOf(name) != index) {
            throw new TextFormatException(source, 1, "the header names column '" + name + "' twice: "
                    + abbreviated(header));
        }
        return index;
    }

    /**
     * The header for a message: whole when short, else its start and how many columns it has (the
     * "header" of a binary file can be megabytes).
     */
    private static String abbreviated(List<String> header) {
        long length = 2L * header.size();
        for (String name : header) {
            length += name.length();
        }
        if (length <= MESSAGE_HEADER_CHARS) {
            return header.toString();
        }
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < header.size() && sb.length() < MESSAGE_HEADER_CHARS; k++) {
            String name = header.get(k);
            sb.append(k > 0 ? ", " : "").append(name, 0, Math.min(name.length(), MESSAGE_HEADER_CHARS));
        }
        return sb.substring(0, Math.min(sb.length(), MESSAGE_HEADER_CHARS)) + "... (" + header.size() + " columns)";
    }

    /** How much of a header an error message quotes. */
    private static final int MESSAGE_HEADER_CHARS = 200;

    private void readFastText(TextFiles.Decoded text, Rows rows) throws TextFormatException {
        char[] chars = text.chars();
        int n = text.length();
        int pos = 0;
        int line = 0;
        while (pos < n) {
            line++;
            int start = pos;
            while (pos < n && chars[pos] != '\n' && chars[pos] != '\r') {
                pos++;
            }
            int end = pos;
            if (pos < n && chars[pos++] == '\r' && pos < n && chars[pos] == '\n') {
                pos++; // CRLF
            }
            if (rows.invalidUtf8Line(start, end, line) > 0) {
                rows.bad(line, "invalid UTF-8");
                continue;
            }
            fastTextLine(chars, start, end, line, rows);
        }
    }

    private static void fastTextLine(char[] chars, int start, int end, int line, Rows rows)
            throws TextFormatException {
        int i = skipSpaces(chars, start, end);
        if (i == end) {
            rows.bad(line, "blank line");
            return;
        }
        List<String> labels = new ArrayList<>(1);
        boolean blankLabel = false;
        while (i < end && startsWith(chars, i, end, FASTTEXT_LABEL_PREFIX)) {
            int wordEnd = i;
            while (wordEnd < end && chars[wordEnd] != ' ' && chars[wordEnd] != '\t') {
                wordEnd++;
            }
            int nameStart = i + FASTTEXT_LABEL_PREFIX.length();
            labels.add(new String(chars, nameStart, wordEnd - nameStart));
            blankLabel |= DelimitedParser.blank(chars, nameStart, wordEnd);
            i = skipSpaces(chars, wordEnd, end);
        }
        String text = new String(chars, i, end - i).strip();
        if (!rows.labeled) { // the labels, if any, are not read
            if (DelimitedParser.blank(chars, i, end)) {
                rows.bad(line, "empty text");
            } else {
                rows.add(text, null, line);
            }
        } else if (labels.isEmpty()) {
            rows.bad(line, "no label: a line must start with " + FASTTEXT_LABEL_PREFIX + "<name>");
        } else if (labels.size() > 1) {
            rows.bad(line, labels.size() + " labels " + labels + ": one label per line is supported");
        } else if (blankLabel) {
            rows.bad(line, "empty label after " + FASTTEXT_LABEL_PREFIX);
        } else if (DelimitedParser.blank(chars, i, end)) {
            rows.bad(line, "empty text");
        } else {
            rows.add(text, labels.get(0), line);
        }
    }

    private static int skipSpaces(char[] chars, int i, int end) {
        while (i < end && (chars[i] == ' ' || chars[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean startsWith(char[] chars, int i, int end, String prefix) {
        if (end - i < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (chars[i + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Collects good rows and bad ones (throwing on the first when not skipping). */
    private final class Rows {

        final String source;
        final TextFiles.Decoded text;
        /** Whether labels are read ({@link #read}) or not ({@link #readTexts}). */
        final boolean labeled;
        final List<String> texts = new ArrayList<>();
        final List<String> labels = new ArrayList<>();
        int[] lines = new int[1024];
        final List<SkippedRow> skipped = new ArrayList<>();
        /** The next entry of {@code text.invalidAt()} not yet passed. */
        int nextInvalid;

        Rows(String source, TextFiles.Decoded text, boolean labeled) {
            this.source = source;
            this.text = text;
            this.labeled = labeled;
        }

        void add(String rowText, String label, int line) {
            if (texts.size() == lines.length) {
                lines = Arrays.copyOf(lines, lines.length * 2);
            }
            lines[texts.size()] = line;
            texts.add(rowText);
            if (labeled) {
                labels.add(label);
            }
        }

        void bad(int line, String problem) throws TextFormatException {
            if (!skipBadRows) {
                throw new TextFormatException(source, line, problem);
            }
            skipped.add(new SkippedRow(line, problem));
        }

        /**
         * The line of the first invalid UTF-8 sequence in {@code [start, end)}, or 0; ranges must be
         * asked in increasing order. {@code startLine} is the line at {@code start}.
         */
        int invalidUtf8Line(int start, int end, int startLine) {
            int[] invalid = text.invalidAt();
            while (nextInvalid < invalid.length && invalid[nextInvalid] < start) {
                nextInvalid++;
            }
            if (nextInvalid >= invalid.length || invalid[nextInvalid] >= end) {
                return 0;
            }
            int line = startLine;
            char[] chars = text.chars();
            for (int i = start; i < invalid[nextInvalid]; i++) {
                if (chars[i] == '\n' || (chars[i] == '\r' && (i + 1 >= end || chars[i + 1] != '\n'))) {
                    line++;
                }
            }
            return line;
        }

        LabeledDataset labeledRows() throws TextFormatException {
            requireRows();
            return LabeledDataset.fromNames(source, texts, labels, Arrays.copyOf(lines, texts.size()), skipped);
        }

        TextRows textRows() throws TextFormatException {
            requireRows();
            return TextRows.of(source, texts, Arrays.copyOf(lines, texts.size()), skipped);
        }

        private void requireRows() throws TextFormatException {
            if (texts.isEmpty()) {
                throw new TextFormatException(source, 0, skipped.isEmpty() ? "no rows"
                        : "no valid rows (" + skipped.size() + " skipped; first: " + skipped.get(0) + ")");
            }
        }
    }
}
