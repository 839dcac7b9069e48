package dev.keel.text;

import java.io.IOException;

/**
 * Malformed input in a text file: names the file (or other source), the line and the problem, as
 * {@code "train.csv line 12: expected 3 fields, found 2"}. The line is 1-based; 0 means the problem
 * concerns the whole source (an empty file, a broken gzip stream).
 */
public class TextFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String problem;

    public TextFormatException(String source, int line, String problem) {
        this(source, line, problem, null);
    }

    public TextFormatException(String source, int line, String problem, Throwable cause) {
        super(source + (line > 0 ? " line " + line : "") + ": " + problem, cause);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    /** The file name or other description of the input. */
    public String source() {
        return source;
    }

    /** The 1-based line, or 0 when the problem is not on one line. */
    public int line() {
        return line;
    }

    /** The problem alone, without source and line. */
    public String problem() {
        return problem;
    }
}
