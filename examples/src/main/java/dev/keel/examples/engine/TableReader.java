package dev.keel.examples.engine;

import dev.keel.examples.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Reads labeled texts from a CSV (RFC 4180, quoted fields may hold separators and newlines) or TSV
 * file with a header row, optionally gzip-compressed ({@code .gz}). Interim: replaced by the
 * {@code text} module's readers once they land.
 */
public final class TableReader {

    private TableReader() {
    }

    /**
     * @param labelNames the classes to map labels onto (a model's), or null to take the sorted
     *                   distinct labels of this file
     */
    public static LabeledTexts read(Path file, String textColumn, String labelColumn, List<String> labelNames) {
        String name = file.getFileName().toString();
        char separator = name.endsWith(".tsv") || name.endsWith(".tsv.gz") ? '\t' : ',';
        List<List<String>> records;
        try (Reader reader = open(file)) {
            records = parse(reader, separator, file);
        } catch (NoSuchFileException e) {
            throw new InputException("no such file: " + file);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throw new InputException(file + " is empty (expected a header row naming the columns)");
        }
        List<String> header = records.get(0);
        int textAt = column(header, textColumn, file);
        int labelAt = column(header, labelColumn, file);
        List<String> texts = new ArrayList<>(records.size() - 1);
        List<String> rawLabels = new ArrayList<>(records.size() - 1);
        for (int r = 1; r < records.size(); r++) {
            List<String> rec = records.get(r);
            if (rec.size() == 1 && rec.get(0).isEmpty()) {
                continue; // blank line
            }
            if (rec.size() != header.size()) {
                throw new InputException(file + ": record " + r + " has " + rec.size() + " fields, the header has "
                        + header.size());
            }
            texts.add(rec.get(textAt));
            rawLabels.add(rec.get(labelAt).strip());
        }
        List<String> names = labelNames != null ? labelNames : new ArrayList<>(new TreeSet<>(rawLabels));
        int[] labels = new int[rawLabels.size()];
        for (int i = 0; i < labels.length; i++) {
            int index = names.indexOf(rawLabels.get(i));
            if (index < 0) {
                throw new InputException(file + ": record " + (i + 1) + " has label '" + rawLabels.get(i)
                        + "', which is not one of " + names);
            }
            labels[i] = index;
        }
        return new LabeledTexts(name, texts, labels, List.copyOf(names));
    }

    /** Texts only: one per line of a plain file, or a column of a CSV/TSV file when textColumn is set. */
    public static List<String> readTexts(Path file, String textColumn) {
        String name = file.getFileName().toString();
        boolean table = name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".csv.gz")
                || name.endsWith(".tsv.gz");
        try (Reader reader = open(file)) {
            if (!table) {
                return new BufferedReader(reader).lines().toList();
            }
            List<List<String>> records = parse(reader, name.contains(".tsv") ? '\t' : ',', file);
            if (records.isEmpty()) {
                throw new InputException(file + " is empty (expected a header row naming the columns)");
            }
            int at = column(records.get(0), textColumn, file);
            List<String> texts = new ArrayList<>();
            for (List<String> rec : records.subList(1, records.size())) {
                if (!(rec.size() == 1 && rec.get(0).isEmpty())) {
                    texts.add(at < rec.size() ? rec.get(at) : "");
                }
            }
            return texts;
        } catch (NoSuchFileException e) {
            throw new InputException("no such file: " + file);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static int column(List<String> header, String column, Path file) {
        int at = header.indexOf(column);
        if (at < 0) {
            throw new InputException(file + " has no column '" + column + "'; its columns are " + header);
        }
        return at;
    }

    private static Reader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    static List<List<String>> parse(Reader in, char separator, Path file) throws IOException {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int c = in.read();
        if (c == '\uFEFF') {
            c = in.read(); // byte-order mark
        }
        for (; c != -1; c = in.read()) {
            any = true;
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (next == -1) {
                            break;
                        }
                        in.reset();
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == separator) {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') {
                        in.reset();
                    }
                }
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                any = false;
            } else {
                field.append((char) c);
            }
        }
        if (quoted) {
            throw new InputException(file + ": a quoted field is not closed at the end of the file");
        }
        if (any) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }
}
