package dev.keel.text;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Tokens and their ids: {@code <unk>} is id 0, then the kept tokens by count (descending), ties by
 * text ({@link String#compareTo}, i.e. UTF-16 order), so the same corpus always gives the same ids.
 * Immutable and thread-safe.
 *
 * <p>Built by {@link Builder#build(int, int)}: tokens seen fewer than {@code minCount} times are
 * dropped, then only the {@code maxWords} most frequent kept; the count of {@code <unk>} is the total
 * count of the dropped tokens (plus any explicit {@code "<unk>"} added).
 *
 * <p>File form ({@link #save}, {@link #load}): UTF-8, one entry per line in id order,
 * {@code token TAB count}, LF line ends (CRLF is read too), first line {@code <unk> TAB count}.
 * Tokens may not be empty or contain a tab, CR or LF (the tokenizer's never do).
 */
public final class Vocabulary {

    /** The reserved token for words outside the vocabulary. */
    public static final String UNK = "<unk>";
    /** The id of {@link #UNK}. */
    public static final int UNK_ID = 0;

    /** Token -> id (the entry index is the id); the value is the token's count. */
    private final CharTable table;

    private Vocabulary(CharTable table) {
        this.table = table;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The vocabulary of the tokens of {@code texts}. */
    public static Vocabulary fromTexts(Iterable<? extends CharSequence> texts, Tokenizer tokenizer,
                                       int minCount, int maxWords) {
        Builder builder = builder();
        TokenBuffer tokens = new TokenBuffer();
        for (CharSequence text : texts) {
            tokenizer.tokenize(text, tokens);
            builder.addAll(tokens);
        }
        return builder.build(minCount, maxWords);
    }

    /** The number of ids, {@code <unk>} included. */
    public int size() {
        return table.size();
    }

    /** The id of {@code token}, or {@link #UNK_ID} when absent. */
    public int id(CharSequence token) {
        int id = lookup(token);
        return id < 0 ? UNK_ID : id;
    }

    /** The id of {@code token}, or -1 when absent. */
    public int lookup(CharSequence token) {
        return table.find(token.toString());
    }

    /** The id of token {@code i} of {@code tokens}, or -1 when absent; allocates nothing. */
    public int lookup(TokenBuffer tokens, int i) {
        return table.find(tokens.chars(), tokens.start(i), tokens.length(i));
    }

    /** The id of the characters {@code chars[offset, offset + length)}, or -1 when absent. */
    public int lookup(char[] chars, int offset, int length) {
        return table.find(chars, offset, length);
    }

    public boolean contains(CharSequence token) {
        return lookup(token) >= 0;
    }

    /** The token of {@code id}. */
    public String token(int id) {
        checkId(id);
        return table.key(id);
    }

    /** The corpus count of {@code id}'s token (for {@code <unk>}: of all dropped tokens). */
    public long count(int id) {
        checkId(id);
        return table.value(id);
    }

    /** All tokens in id order. */
    public List<String> tokens() {
        List<String> list = new ArrayList<>(size());
        for (int id = 0; id < size(); id++) {
            list.add(table.key(id));
        }
        return Collections.unmodifiableList(list);
    }

    /** Writes the vocabulary to {@code file} (see the class comment for the form). */
    public void save(Path file) throws IOException {
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            write(out);
        }
    }

    /** Writes the vocabulary to {@code out}, one {@code token TAB count} line per id. */
    public void write(Writer out) throws IOException {
        for (int id = 0; id < size(); id++) {
            out.write(table.key(id));
            out.write('\t');
            out.write(Long.toString(table.value(id)));
            out.write('\n');
        }
    }

    /**
     * Reads a vocabulary written by {@link #save}.
     *
     * @throws TextFormatException naming the file and line of the first problem: invalid UTF-8, a
     *     line that is not {@code token TAB count}, a bad count, a duplicate token, a first line
     *     other than {@code <unk>}, an empty file
     */
    public static Vocabulary load(Path file) throws IOException {
        return parse(TextFiles.decodeStrict(TextFiles.readBytes(file), file.toString()).toString(), file.toString());
    }

    /** Parses the text of a vocabulary file; {@code source} names it in errors. */
    public static Vocabulary parse(String text, String source) throws TextFormatException {
        if (text.isEmpty()) {
            throw new TextFormatException(source, 0, "empty file: expected '" + UNK + "<TAB>count' on line 1");
        }
        CharTable table = new CharTable();
        int lineNo = 0;
        int pos = 0;
        int n = text.length();
        while (pos < n) {
            lineNo++;
            int end = text.indexOf('\n', pos);
            int next = end < 0 ? n : end + 1;
            if (end < 0) {
                end = n;
            }
            if (end > pos && text.charAt(end - 1) == '\r') {
                end--;
            }
            String line = text.substring(pos, end);
            pos = next;
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new TextFormatException(source, lineNo, (line.isEmpty() ? "blank line" : "no tab")
                        + ": expected token<TAB>count");
            }
            if (line.indexOf('\t', tab + 1) >= 0) {
                throw new TextFormatException(source, lineNo, "more than one tab: expected token<TAB>count");
            }
            String token = line.substring(0, tab);
            if (token.isEmpty()) {
                throw new TextFormatException(source, lineNo, "empty token");
            }
            if (token.indexOf('\r') >= 0) {
                throw new TextFormatException(source, lineNo, "token contains a carriage return");
            }
            long count = parseCount(line.substring(tab + 1), source, lineNo);
            if (lineNo == 1 && !token.equals(UNK)) {
                throw new TextFormatException(source, 1, "the first token must be " + UNK + ", found '" + token + "'");
            }
            int existing = table.find(token);
            if (existing >= 0) {
                throw new TextFormatException(source, lineNo, "duplicate token '" + token + "' (first on line "
                        + (existing + 1) + ")");
            }
            table.setValue(table.findOrAdd(token), count);
        }
        return new Vocabulary(table);
    }

    private static long parseCount(String s, String source, int lineNo) throws TextFormatException {
        boolean digits = !s.isEmpty() && s.length() <= 18;
        for (int i = 0; digits && i < s.length(); i++) {
            digits = s.charAt(i) >= '0' && s.charAt(i) <= '9';
        }
        if (!digits) {
            throw new TextFormatException(source, lineNo, "count '" + s + "' is not a non-negative integer");
        }
        return Long.parseLong(s);
    }

    private void checkId(int id) {
        if (id < 0 || id >= size()) {
            throw new IndexOutOfBoundsException("id " + id + " outside vocabulary of size " + size());
        }
    }

    @Override
    public String toString() {
        return "Vocabulary(" + size() + " ids)";
    }

    /** Counts tokens; {@link #build} makes the vocabulary. Not thread-safe. */
    public static final class Builder {

        private final CharTable counts = new CharTable();

        private Builder() {
        }

        /** Counts one occurrence of {@code token}. */
        public Builder add(CharSequence token) {
            return add(token, 1);
        }

        /** Counts {@code count} occurrences of {@code token}. */
        public Builder add(CharSequence token, long count) {
            if (count < 0) {
                throw new IllegalArgumentException("count must be non-negative, got " + count + " for '" + token + "'");
            }
            int e = counts.findOrAdd(token.toString());
            counts.setValue(e, counts.value(e) + count);
            return this;
        }

        /** Counts one occurrence of each token of {@code tokens}. */
        public Builder addAll(TokenBuffer tokens) {
            for (int i = 0; i < tokens.size(); i++) {
                add(tokens.chars(), tokens.start(i), tokens.length(i));
            }
            return this;
        }

        /** Counts one occurrence of the token {@code chars[offset, offset + length)}. */
        public Builder add(char[] chars, int offset, int length) {
            addAndGetEntry(chars, offset, length);
            return this;
        }

        /** Counts one occurrence and returns the token's entry number (0, 1, ... in first-seen order). */
        int addAndGetEntry(char[] chars, int offset, int length) {
            int e = counts.findOrAdd(chars, offset, length);
            counts.setValue(e, counts.value(e) + 1);
            return e;
        }

        /** The entry number of {@code token}, or -1 if it was never added. */
        int entryOf(String token) {
            return counts.find(token);
        }

        /**
         * The vocabulary of the tokens counted so far.
         *
         * @param minCount keep tokens seen at least this often (at least 1)
         * @param maxWords keep at most this many tokens besides {@code <unk>} (at least 0)
         */
        public Vocabulary build(int minCount, int maxWords) {
            if (minCount < 1) {
                throw new IllegalArgumentException("minCount must be at least 1, got " + minCount);
            }
            if (maxWords < 0) {
                throw new IllegalArgumentException("maxWords must be non-negative, got " + maxWords);
            }
            int[] kept = new int[counts.size()];
            int keptCount = 0;
            long unkCount = 0;
            int unkEntry = counts.find(UNK);
            for (int e = 0; e < counts.size(); e++) {
                if (e == unkEntry || counts.value(e) < minCount) {
                    unkCount += counts.value(e);
                } else {
                    kept[keptCount++] = e;
                }
            }
            kept = Arrays.copyOf(kept, keptCount);
            counts.sortByValueDescThenKey(kept);
            CharTable table = new CharTable();
            table.setValue(table.findOrAdd(UNK), 0);
            for (int k = 0; k < kept.length; k++) {
                int e = kept[k];
                if (k < maxWords) {
                    String token = counts.key(e);
                    checkToken(token);
                    table.setValue(table.findOrAdd(token), counts.value(e));
                } else {
                    unkCount += counts.value(e);
                }
            }
            table.setValue(UNK_ID, unkCount);
            return new Vocabulary(table);
        }

        private static void checkToken(String token) {
            if (token.isEmpty()) {
                throw new IllegalArgumentException("empty token in vocabulary");
            }
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                if (c == '\t' || c == '\n' || c == '\r') {
                    throw new IllegalArgumentException("token '" + token.replace("\t", "\\t").replace("\n", "\\n")
                            .replace("\r", "\\r") + "' contains a tab or line break");
                }
            }
        }
    }
}
