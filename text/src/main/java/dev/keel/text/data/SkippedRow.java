package dev.keel.text.data;

/** A row the reader left out (only with skipping on): its line and what was wrong with it. */
public record SkippedRow(int line, String problem) {

    @Override
    public String toString() {
        return "line " + line + ": " + problem;
    }
}
