package dev.keel.nn.io;

import dev.keel.core.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, F32 tensors only.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code N}; {@code N} bytes of UTF-8
 * JSON, {@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value", ...}}}, padded with spaces so that the data starts at a
 * multiple of 8; then the data, raw little-endian, each tensor at {@code [begin, end)} relative to
 * the start of the data. The tensors tile the data exactly: no gap, no overlap, nothing after.
 *
 * <p>keel adds two metadata keys: {@value #FORMAT_KEY} (a reader refuses versions newer than
 * it knows) and {@value #CHECKSUM_KEY}, a CRC-32C over the data and a canonical form of the header
 * (tensor names, dtypes, shapes, offsets and the other metadata), so a flipped bit anywhere that
 * matters is an error rather than a silently different model. Files from other writers (no
 * checksum) load too.
 *
 * <p>Reading trusts nothing: the header length is checked against the file size and a maximum
 * before anything is allocated, every tensor's shape against its offsets and the offsets against
 * the data size before any tensor is allocated. Every problem is a {@link ModelFileException}
 * naming the file. Writing is atomic: a temporary file in the same folder, forced to disk, then
 * renamed over the target.
 */
public final class SafeTensors {

    /** Largest header accepted (as the reference implementation: 100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Metadata key holding keel's format version. */
    public static final String FORMAT_KEY = "keel.format";
    /** The format version this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    /** Metadata key holding the CRC-32C (8 lowercase hex digits) that keel writes. */
    public static final String CHECKSUM_KEY = "keel.crc32c";

    private static final String METADATA = "__metadata__";
    private static final int CHUNK_BYTES = 1 << 20;
    private static final List<String> OTHER_DTYPES = List.of("F64", "F16", "BF16", "F8_E4M3", "F8_E5M2", "I64",
            "I32", "I16", "I8", "U64", "U32", "U16", "U8", "BOOL");

    private SafeTensors() {
    }

    /**
     * What a file holds: tensors in header order, and the metadata (including keel's own keys
     * when keel wrote it).
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** One header entry, checked. */
    private record Entry(String name, int[] shape, long begin, long end) {
        int count() {
            return (int) ((end - begin) / Float.BYTES);
        }
    }

    private static final Comparator<Entry> FILE_ORDER = Comparator.comparingLong(Entry::begin)
            .thenComparingLong(Entry::end).thenComparing(Entry::name);

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code tensors} (in map order) and {@code metadata} to {@code file}, atomically.
     * keel's {@value #FORMAT_KEY} and {@value #CHECKSUM_KEY} are added; {@code metadata} must not
     * set them.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Path target = file.toAbsolutePath();
        for (String key : List.of(FORMAT_KEY, CHECKSUM_KEY)) {
            if (metadata.containsKey(key)) {
                throw new IllegalArgumentException("metadata key " + key + " is written by keel itself");
            }
        }
        List<Entry> entries = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("a tensor cannot be named " + METADATA);
            }
            long bytes = (long) e.getValue().size() * Float.BYTES;
            entries.add(new Entry(e.getKey(), e.getValue().shape(), offset, offset + bytes));
            offset += bytes;
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(FORMAT_KEY, Integer.toString(FORMAT_VERSION));

        CRC32C crc = new CRC32C();
        int headerLength = header(entries, meta, "00000000").length; // the checksum has a fixed width
        long dataBytes = offset;
        AtomicWrite.file(target, temp -> {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, dataBytes))
                        .order(ByteOrder.LITTLE_ENDIAN);
                long position = 8 + headerLength;
                for (Tensor t : tensors.values()) {
                    position = writeFloats(ch, buf, position, t, crc);
                }
                crc.update(canonical(entries, meta).getBytes(StandardCharsets.UTF_8));
                byte[] header = header(entries, meta, String.format("%08x", crc.getValue()));
                ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(header.length).put(header).flip();
                writeFully(ch, head, 0);
                ch.force(true);
            }
        });
    }

    /** The header JSON, padded with spaces so that 8 + its length is a multiple of 8. */
    private static byte[] header(List<Entry> entries, Map<String, String> meta, String checksum) {
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, String> withChecksum = new LinkedHashMap<>(meta);
        withChecksum.put(CHECKSUM_KEY, checksum);
        json.put(METADATA, withChecksum);
        for (Entry e : entries) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F32");
            List<Object> shape = new ArrayList<>();
            for (int d : e.shape) {
                shape.add((long) d);
            }
            info.put("shape", shape);
            info.put("data_offsets", List.of(e.begin, e.end));
            json.put(e.name, info);
        }
        byte[] raw = Json.write(json).getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(raw, padded);
        Arrays.fill(out, raw.length, padded, (byte) ' ');
        return out;
    }

    /**
     * What the checksum covers besides the data: the meaning of the header, independent of key
     * order and whitespace, so any writer's equivalent header gives the same value.
     */
    private static String canonical(List<Entry> entries, Map<String, String> meta) {
        StringBuilder sb = new StringBuilder();
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(FILE_ORDER);
        for (Entry e : sorted) {
            sb.append(e.name).append('\0').append("F32").append('\0').append(Arrays.toString(e.shape))
                    .append('\0').append(e.begin).append(',').append(e.end).append('\n');
        }
        for (Map.Entry<String, String> m : new TreeMap<>(meta).entrySet()) {
            if (!m.getKey().equals(CHECKSUM_KEY)) {
                sb.append(m.getKey()).append('\0').append(m.getValue()).append('\n');
            }
        }
        return sb.toString();
    }

    private static long writeFloats(FileChannel ch, ByteBuffer buf, long position, Tensor t, CRC32C crc)
            throws IOException {
        float[] data = t.data();
        int from = t.offset(), end = t.offset() + t.size();
        while (from < end) {
            int n = Math.min(end - from, buf.capacity() / Float.BYTES);
            buf.clear();
            buf.asFloatBuffer().put(data, from, n);
            buf.limit(n * Float.BYTES);
            crc.update(buf.duplicate());
            writeFully(ch, buf, position);
            position += (long) n * Float.BYTES;
            from += n;
        }
        return position;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            position += ch.write(buf, position);
        }
    }

    // ---------------------------------------------------------------- reading

    /** Reads and checks {@code file}; see the class documentation for what is checked. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch.size(), (buf, position) -> readFully(ch, buf, position, file));
        }
    }

    /**
     * Reads and checks a safetensors file from a stream (a resource in a jar), with the same checks
     * as {@link #read(Path)}: the stream must end right after the last tensor's data. {@code name}
     * names it in errors. The stream is read to its end, not closed.
     */
    public static Contents read(InputStream in, Path name) throws IOException {
        ReadableByteChannel ch = Channels.newChannel(in);
        long[] at = {0};
        Contents contents = read(name, -1, (buf, position) -> {
            if (position != at[0]) {
                throw new IllegalStateException("a stream is read in order: at " + at[0] + ", asked for " + position);
            }
            int wanted = buf.remaining();
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) {
                    throw new ModelFileException(name, "file ended early (truncated while reading at byte "
                            + (at[0] + wanted - buf.remaining()) + ")");
                }
            }
            at[0] += wanted;
        });
        if (in.read() >= 0) {
            throw new ModelFileException(name, "bytes after the last tensor's data (trailing garbage, or a corrupt header)");
        }
        return contents;
    }

    /** Reads {@code buf.remaining()} bytes at {@code position} into {@code buf}, or fails naming the file. */
    private interface Bytes {
        void readFully(ByteBuffer buf, long position) throws IOException;
    }

    /** The reading of {@link #read(Path)} on any bytes; {@code fileSize} -1 when unknown (a stream). */
    private static Contents read(Path file, long fileSize, Bytes bytes) throws IOException {
        if (fileSize >= 0 && fileSize < 8) {
            throw new ModelFileException(file, "not a safetensors file: " + fileSize
                    + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.readFully(lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new ModelFileException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " is beyond the limit of " + MAX_HEADER_BYTES + " bytes (corrupt or not safetensors)");
        }
        if (fileSize >= 0 && 8 + headerLength > fileSize) {
            throw new ModelFileException(file, "header length " + headerLength + " runs past the end of the "
                    + fileSize + "-byte file (truncated or corrupt)");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        bytes.readFully(headerBytes, 8);
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = parseHeader(file, decodeUtf8(file, headerBytes.flip()), metadata);
        long dataSize = fileSize >= 0 ? fileSize - 8 - headerLength : tiledSize(entries);
        checkLayout(file, entries, dataSize);
        checkFormatVersion(file, metadata);
        return readData(file, bytes, 8 + headerLength, entries, metadata);
    }

    /** Where the last tensor's data ends (the data size a stream must have). */
    private static long tiledSize(List<Entry> entries) {
        long end = 0;
        for (Entry e : entries) {
            end = Math.max(end, e.end);
        }
        return end;
    }

    private static String decodeUtf8(Path file, ByteBuffer bytes) throws ModelFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFileException(file, "header is not valid UTF-8 (corrupt or not safetensors)");
        }
    }

    private static List<Entry> parseHeader(Path file, String text, Map<String, String> metadataOut)
            throws ModelFileException {
        if (!text.startsWith("{")) {
            throw new ModelFileException(file, "header does not start with '{' (corrupt or not safetensors)");
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.JsonException e) {
            throw new ModelFileException(file, "header is not well-formed JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw new ModelFileException(file, "header is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) {
                readMetadata(file, e.getValue(), metadataOut);
            } else {
                entries.add(parseEntry(file, name, e.getValue()));
            }
        }
        return entries;
    }

    private static void readMetadata(Path file, Object value, Map<String, String> out) throws ModelFileException {
        if (!(value instanceof Map)) {
            throw new ModelFileException(file, METADATA + " must be an object of strings");
        }
        for (Map.Entry<?, ?> m : ((Map<?, ?>) value).entrySet()) {
            if (!(m.getValue() instanceof String)) {
                throw new ModelFileException(file, METADATA + " value of \"" + m.getKey() + "\" is not a string");
            }
            out.put((String) m.getKey(), (String) m.getValue());
        }
    }

    private static Entry parseEntry(Path file, String name, Object value) throws ModelFileException {
        String what = "tensor \"" + name + "\"";
        if (!(value instanceof Map)) {
            throw new ModelFileException(file, what + ": header entry is not an object");
        }
        Map<?, ?> info = (Map<?, ?>) value;
        for (Object key : info.keySet()) {
            if (!List.of("dtype", "shape", "data_offsets").contains(key)) {
                throw new ModelFileException(file, what + ": unknown header field \"" + key + "\"");
            }
        }
        Object dtype = info.get("dtype");
        if (!"F32".equals(dtype)) {
            String known = OTHER_DTYPES.contains(dtype) ? "" : " (not a safetensors dtype)";
            throw new ModelFileException(file, what + " has dtype " + dtype + known + "; keel reads F32 tensors only");
        }
        List<Long> shape = longs(file, what + " shape", info.get("shape"));
        List<Long> offsets = longs(file, what + " data_offsets", info.get("data_offsets"));
        if (offsets.size() != 2) {
            throw new ModelFileException(file, what + ": data_offsets must be [begin, end], got " + offsets);
        }
        long begin = offsets.get(0), end = offsets.get(1);
        if (end < begin) {
            throw new ModelFileException(file, what + ": data_offsets end " + end + " is before begin " + begin);
        }
        long count = 1;
        int[] dims = new int[shape.size()];
        for (int d = 0; d < dims.length; d++) {
            long size = shape.get(d);
            // Past 2^31 - 9 elements a Java array cannot hold the tensor anyway.
            if (size > Integer.MAX_VALUE || (size > 0 && count > (Integer.MAX_VALUE - 8) / size)) {
                throw new ModelFileException(file, what + ": shape " + shape + " is too large (more than 2^31 elements)");
            }
            count *= size;
            dims[d] = (int) size;
        }
        if (end - begin != count * Float.BYTES) {
            throw new ModelFileException(file, what + ": shape " + shape + " needs " + count * Float.BYTES
                    + " bytes but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Entry(name, dims, begin, end);
    }

    private static List<Long> longs(Path file, String what, Object value) throws ModelFileException {
        if (!(value instanceof List)) {
            throw new ModelFileException(file, what + " is missing or not an array");
        }
        List<Long> out = new ArrayList<>();
        for (Object o : (List<?>) value) {
            if (!(o instanceof Long) || (Long) o < 0) {
                throw new ModelFileException(file, what + " holds " + o + ", not a non-negative integer");
            }
            out.add((Long) o);
        }
        return out;
    }

    /** The tensors must tile {@code [0, dataSize)} exactly, in offset order. */
    private static void checkLayout(Path file, List<Entry> entries, long dataSize) throws ModelFileException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(FILE_ORDER);
        long expected = 0;
        for (Entry e : sorted) {
            if (e.end > dataSize) {
                throw new ModelFileException(file, "tensor \"" + e.name + "\" data [" + e.begin + ", " + e.end
                        + ") runs past the " + dataSize + " data bytes in the file (truncated or corrupt)");
            }
            if (e.begin < expected) {
                throw new ModelFileException(file, "tensor \"" + e.name + "\" data at " + e.begin
                        + " overlaps the previous tensor, which ends at " + expected);
            }
            if (e.begin > expected) {
                throw new ModelFileException(file, "gap of " + (e.begin - expected) + " bytes before tensor \""
                        + e.name + "\" at " + e.begin);
            }
            expected = e.end;
        }
        if (expected != dataSize) {
            throw new ModelFileException(file, (dataSize - expected) + " bytes after the last tensor's data "
                    + "(trailing garbage, or a corrupt header)");
        }
    }

    private static void checkFormatVersion(Path file, Map<String, String> metadata) throws ModelFileException {
        String version = metadata.get(FORMAT_KEY);
        if (version == null) {
            return; // another writer's file
        }
        int v;
        try {
            v = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw new ModelFileException(file, FORMAT_KEY + " is \"" + version + "\", not a version number");
        }
        if (v > FORMAT_VERSION) {
            throw new ModelFileException(file, "written in keel model format " + v + ", newer than format "
                    + FORMAT_VERSION + " that this keel reads; use a newer keel");
        }
        if (v < 1) {
            throw new ModelFileException(file, FORMAT_KEY + " is " + v + ", not a valid version");
        }
    }

    private static Contents readData(Path file, Bytes bytes, long dataStart, List<Entry> entries,
                                     Map<String, String> metadata) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(FILE_ORDER);
        Map<String, Tensor> byName = new LinkedHashMap<>();
        CRC32C crc = new CRC32C();
        long dataBytes = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1).end;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : sorted) {
            float[] values = new float[e.count()]; // size checked against the file above
            int done = 0;
            while (done < values.length) {
                int n = Math.min(values.length - done, buf.capacity() / Float.BYTES);
                buf.clear().limit(n * Float.BYTES);
                bytes.readFully(buf, dataStart + e.begin + (long) done * Float.BYTES);
                buf.flip();
                crc.update(buf.duplicate());
                buf.asFloatBuffer().get(values, done, n);
                done += n;
            }
            byName.put(e.name, Tensor.of(values, e.shape));
        }
        String stored = metadata.get(CHECKSUM_KEY);
        if (stored != null) {
            crc.update(canonical(entries, metadata).getBytes(StandardCharsets.UTF_8));
            String actual = String.format("%08x", crc.getValue());
            if (!actual.equals(stored)) {
                throw new ModelFileException(file, "checksum mismatch (stored " + stored + ", computed " + actual
                        + "): the file is corrupt");
            }
        }
        Map<String, Tensor> inHeaderOrder = new LinkedHashMap<>();
        for (Entry e : entries) {
            inHeaderOrder.put(e.name, byName.get(e.name));
        }
        return new Contents(inHeaderOrder, metadata);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position);
            if (n < 0) {
                throw new ModelFileException(file, "file ended early (truncated while reading at byte " + position + ")");
            }
            position += n;
        }
    }
}
