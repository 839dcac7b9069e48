package dev.keel.text.data;

import java.util.Arrays;

/**
 * Splits decoded text into records of fields: CSV per RFC 4180 (with {@code quoting}: fields may be
 * quoted, a doubled quote inside is one quote, quoted fields may hold delimiters and line breaks)
 * or plain delimited lines (TSV: no quoting at all, a record is a line).
 *
 * <p>Strict where RFC 4180 is: a quote inside an unquoted field and anything but a delimiter or
 * line end after a closing quote are errors. After an error the rest of that line is skipped and
 * parsing resumes on the next line; an unterminated quote consumes the rest of the input. Line ends
 * are LF, CRLF or a lone CR. Fields are only materialized as strings on request.
 */
final class DelimitedParser {

    private final char[] chars;
    private final int length;
    private final char delimiter;
    private final boolean quoting;

    private int pos;
    private int line = 1;

    // the current record
    private int recordLine;
    private int recordStart;
    private int recordEnd;
    private int fieldCount;
    private int[] fieldStart = new int[8];
    private int[] fieldEnd = new int[8];
    private boolean[] fieldEscaped = new boolean[8];
    private boolean[] fieldQuoted = new boolean[8];
    private String error;
    private int errorLine;

    DelimitedParser(char[] chars, int length, char delimiter, boolean quoting) {
        this.chars = chars;
        this.length = length;
        this.delimiter = delimiter;
        this.quoting = quoting;
    }

    /** Parses the next record; false when the input is exhausted. */
    boolean next() {
        if (pos >= length) {
            return false;
        }
        recordLine = line;
        recordStart = pos;
        fieldCount = 0;
        error = null;
        while (true) {
            if (quoting && pos < length && chars[pos] == '"') {
                if (!quotedField()) {
                    break;
                }
            } else if (!plainField()) {
                break;
            }
            if (pos >= length) {
                break;
            }
            char c = chars[pos];
            if (c == delimiter) {
                pos++;
                continue;
            }
            if (c == '\r' || c == '\n') {
                recordEnd = pos;
                consumeLineEnd();
                return true;
            }
            fail(line, "unexpected character '" + c + "' after the closing quote of field " + fieldCount);
            break;
        }
        if (error != null) {
            skipRestOfLine();
        }
        recordEnd = Math.min(pos, length);
        return true;
    }

    /** The line on which the current record starts. */
    int recordLine() {
        return recordLine;
    }

    /** The current record's character range, for locating invalid input. */
    int recordStart() {
        return recordStart;
    }

    int recordEnd() {
        return recordEnd;
    }

    /** The problem with the current record, or null. */
    String error() {
        return error;
    }

    /** The line of {@link #error()}. */
    int errorLine() {
        return errorLine;
    }

    int fieldCount() {
        return fieldCount;
    }

    /** Whether the record is an empty line (one empty unquoted field). */
    boolean blankLine() {
        return error == null && fieldCount == 1 && !fieldQuoted[0] && fieldStart[0] == fieldEnd[0];
    }

    /** Field {@code k} as a string (doubled quotes undone). */
    String field(int k) {
        if (k < 0 || k >= fieldCount) {
            throw new IndexOutOfBoundsException("field " + k + " of " + fieldCount);
        }
        int start = fieldStart[k];
        int end = fieldEnd[k];
        if (!fieldEscaped[k]) {
            return new String(chars, start, end - start);
        }
        StringBuilder sb = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            sb.append(chars[i]);
            if (chars[i] == '"') {
                i++; // the second quote of a doubled pair
            }
        }
        return sb.toString();
    }

    /** Whether field {@code k} is empty or only whitespace. */
    boolean fieldBlank(int k) {
        return blank(chars, fieldStart[k], fieldEnd[k]);
    }

    /** Whether {@code chars[from, to)} holds only whitespace and space characters (no-break spaces too). */
    static boolean blank(char[] chars, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(chars[i]) && !Character.isSpaceChar(chars[i])) {
                return false;
            }
        }
        return true;
    }

    /** Parses a quoted field at {@code pos}; false (with {@link #error} set) when it fails. */
    private boolean quotedField() {
        int openLine = line;
        pos++;
        int start = pos;
        boolean escaped = false;
        while (true) {
            if (pos >= length) {
                fail(openLine, "unterminated quoted field " + (fieldCount + 1) + " (opened on line " + openLine
                        + "; the rest of the input, lines " + openLine + " to " + line + ", is part of it)");
                return false;
            }
            char c = chars[pos];
            if (c == '"') {
                if (pos + 1 < length && chars[pos + 1] == '"') {
                    escaped = true;
                    pos += 2;
                    continue;
                }
                addField(start, pos, escaped, true);
                pos++;
                return true;
            }
            if (c == '\n' || (c == '\r' && (pos + 1 >= length || chars[pos + 1] != '\n'))) {
                line++;
            }
            pos++;
        }
    }

    /** Parses an unquoted field at {@code pos}; false (with {@link #error} set) when it fails. */
    private boolean plainField() {
        int start = pos;
        while (pos < length) {
            char c = chars[pos];
            if (c == delimiter || c == '\r' || c == '\n') {
                break;
            }
            if (quoting && c == '"') {
                fail(line, "quote inside unquoted field " + (fieldCount + 1)
                        + " (a field with quotes must be quoted, its quotes doubled)");
                return false;
            }
            pos++;
        }
        addField(start, pos, false, false);
        return true;
    }

    private void addField(int start, int end, boolean escaped, boolean quoted) {
        if (fieldCount == fieldStart.length) {
            int n = fieldCount * 2;
            fieldStart = Arrays.copyOf(fieldStart, n);
            fieldEnd = Arrays.copyOf(fieldEnd, n);
            fieldEscaped = Arrays.copyOf(fieldEscaped, n);
            fieldQuoted = Arrays.copyOf(fieldQuoted, n);
        }
        fieldStart[fieldCount] = start;
        fieldEnd[fieldCount] = end;
        fieldEscaped[fieldCount] = escaped;
        fieldQuoted[fieldCount] = quoted;
        fieldCount++;
    }

    private void fail(int atLine, String problem) {
        error = problem;
        errorLine = atLine;
    }

    private void skipRestOfLine() {
        while (pos < length && chars[pos] != '\r' && chars[pos] != '\n') {
            pos++;
        }
        consumeLineEnd();
    }

    private void consumeLineEnd() {
        if (pos < length && chars[pos] == '\r') {
            pos++;
            if (pos < length && chars[pos] == '\n') {
                pos++;
            }
            line++;
        } else if (pos < length && chars[pos] == '\n') {
            pos++;
            line++;
        }
    }
}
