package dev.keel.text;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reading text files the strict way: gzip recognized by its magic bytes, UTF-8 with or without a
 * byte order mark, and invalid UTF-8 located (not silently replaced) so errors can name the line.
 *
 * <p>Content is held in memory, so its size is bounded: at most {@link #MAX_BYTES} bytes, before
 * and after decompression. A file over the limit, or a gzip stream that inflates beyond it (a
 * "gzip bomb"), is a {@link TextFormatException}, found before the memory is spent.
 */
public final class TextFiles {

    /** The most bytes of content read from one file, compressed or decompressed: 1 GiB. */
    public static final long MAX_BYTES = 1L << 30;

    private TextFiles() {
    }

    /**
     * Text decoded from UTF-8: {@code chars[0, length)}; each malformed byte sequence became one
     * U+FFFD whose position is listed, ascending, in {@code invalidAt} (a U+FFFD that was in the
     * input is valid and not listed).
     */
    public record Decoded(char[] chars, int length, int[] invalidAt) {

        public boolean valid() {
            return invalidAt.length == 0;
        }

        /** The 1-based line (lines end at LF, CRLF or a lone CR) of character position {@code pos}. */
        public int lineOf(int pos) {
            int line = 1;
            for (int i = 0; i < pos && i < length; i++) {
                char c = chars[i];
                if (c == '\n' || (c == '\r' && (i + 1 >= length || chars[i + 1] != '\n'))) {
                    line++;
                }
            }
            return line;
        }

        @Override
        public String toString() {
            return new String(chars, 0, length);
        }
    }

    /**
     * The bytes of {@code file}, decompressed when they start with the gzip magic bytes.
     *
     * @throws TextFormatException if the file or its decompressed content exceeds {@link #MAX_BYTES}
     */
    public static byte[] readBytes(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new TextFormatException(file.toString(), 0, "the file has " + size + " bytes, more than " + MAX_BYTES
                    + " (1 GiB), the most keel reads into memory; split it");
        }
        return gunzipIfCompressed(Files.readAllBytes(file), file.toString());
    }

    /** {@code bytes} decompressed when they start with the gzip magic bytes 1f 8b, else themselves. */
    public static byte[] gunzipIfCompressed(byte[] bytes, String source) throws IOException {
        return gunzipIfCompressed(bytes, source, MAX_BYTES);
    }

    /**
     * {@code bytes} decompressed when they start with the gzip magic bytes 1f 8b, else themselves;
     * decompression stops with a {@link TextFormatException} once it passes {@code maxBytes}, so
     * a small file cannot make keel allocate without bound.
     */
    public static byte[] gunzipIfCompressed(byte[] bytes, String source, long maxBytes) throws IOException {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
            return bytes;
        }
        long limit = Math.min(maxBytes, Integer.MAX_VALUE - 8);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
            byte[] out = new byte[(int) Math.min(limit, Math.max(1 << 16, 4L * bytes.length))];
            int n = 0;
            while (true) {
                if (n == out.length) {
                    if (n >= limit) {
                        if (in.read() < 0) {
                            return out;
                        }
                        throw new TextFormatException(source, 0, "the gzip data decompresses to more than " + limit
                                + " bytes, the most keel reads into memory");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(limit, 2L * out.length));
                }
                int read = in.read(out, n, out.length - n);
                if (read < 0) {
                    return n == out.length ? out : Arrays.copyOf(out, n);
                }
                n += read;
            }
        } catch (TextFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new TextFormatException(source, 0, "broken gzip data: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes UTF-8, skipping a leading byte order mark, never throwing: invalid sequences are
     * located in {@link Decoded#invalidAt()}.
     */
    public static Decoded decode(byte[] bytes) {
        int start = hasUtf8Bom(bytes) ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        // UTF-8 never decodes to more chars than bytes, and a replacement takes at least one byte.
        CharBuffer out = CharBuffer.allocate(bytes.length - start + 1);
        int[] invalid = new int[0];
        int invalidCount = 0;
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                if (invalidCount == invalid.length) {
                    invalid = Arrays.copyOf(invalid, Math.max(4, invalidCount * 2));
                }
                invalid[invalidCount++] = out.position();
                out.put('\uFFFD');
                in.position(in.position() + result.length());
            } else {
                break;
            }
        }
        decoder.flush(out);
        return new Decoded(out.array(), out.position(), Arrays.copyOf(invalid, invalidCount));
    }

    /**
     * The text of a UTF-8 file (gzip allowed, byte order mark skipped).
     *
     * @throws TextFormatException naming the line of the first invalid UTF-8 sequence
     */
    public static String readStrict(Path file) throws IOException {
        return decodeStrict(readBytes(file), file.toString()).toString();
    }

    /**
     * {@code bytes} decoded as UTF-8.
     *
     * @throws TextFormatException naming {@code source} and the line of the first invalid sequence
     */
    public static Decoded decodeStrict(byte[] bytes, String source) throws TextFormatException {
        rejectUtf16(bytes, source);
        Decoded decoded = decode(bytes);
        if (!decoded.valid()) {
            throw new TextFormatException(source, decoded.lineOf(decoded.invalidAt()[0]), "invalid UTF-8");
        }
        return decoded;
    }

    /** Fails with a clear message on a UTF-16 byte order mark (such files are not UTF-8). */
    public static void rejectUtf16(byte[] bytes, String source) throws TextFormatException {
        if (bytes.length >= 2 && ((bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff
                || (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe)) {
            throw new TextFormatException(source, 1,
                    "invalid UTF-8: the file starts with a UTF-16 byte order mark; save it as UTF-8");
        }
    }

    private static boolean hasUtf8Bom(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf;
    }
}
