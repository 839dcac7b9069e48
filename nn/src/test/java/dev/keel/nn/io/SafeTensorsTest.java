package dev.keel.nn.io;

import dev.keel.core.Tensor;
import dev.keel.core.testing.Allocations;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.keel.nn.testing.Checks.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class SafeTensorsTest {

    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("embedding.weight", randn(1, 3, 4));
        t.put("specials", Tensor.of(new float[] {Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffa00000),
            -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MAX_VALUE}, 7));
        t.put("scalar", Tensor.full(2.5f));
        t.put("empty", Tensor.zeros(0, 5));
        t.put("bias", randn(2, 2));
        return t;
    }

    private static Map<String, String> sampleMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("labels", "[\"great\",\"other\",\"ünïcødé\"]");
        m.put("note", "");
        return m;
    }

    private static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        for (String name : expected.keySet()) {
            Tensor e = expected.get(name), a = actual.get(name);
            assertArrayEquals(e.shape(), a.shape(), name);
            float[] ev = e.toArray(), av = a.toArray();
            for (int i = 0; i < ev.length; i++) {
                assertEquals(Float.floatToRawIntBits(ev[i]), Float.floatToRawIntBits(av[i]), name + " element " + i);
            }
        }
    }

    @Test
    void roundTripIsBitExactAndTheFileIsSafetensors() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, sample(), sampleMetadata());
        SafeTensors.Contents c = SafeTensors.read(file);
        assertSameTensors(sample(), c.tensors());
        assertEquals("[\"great\",\"other\",\"ünïcødé\"]", c.metadata().get("labels"));
        assertEquals("1", c.metadata().get(SafeTensors.FORMAT_KEY));

        // the layout, read by hand as another reader would
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "data starts 8-aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        Map<?, ?> json = (Map<?, ?>) Json.parse(header);
        Map<?, ?> emb = (Map<?, ?>) json.get("embedding.weight");
        assertEquals("F32", emb.get("dtype"));
        assertEquals(List.of(3L, 4L), emb.get("shape"));
        assertEquals(List.of(0L, 48L), emb.get("data_offsets"));
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + n), 48).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(sample().get("embedding.weight").get(0, 1), data.getFloat((int) (8 + n) + 4));
        assertEquals(8 + n + 4 * (12 + 7 + 1 + 0 + 2), bytes.length);
    }

    // ---------------------------------------------------------------- files from other writers

    private static byte[] file(String header, float... data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (float f : data) {
            b.putFloat(f);
        }
        return b.array();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void aFileFromAnotherWriterLoads() throws IOException {
        // unpadded header, fields in another order, tensors listed against offset order, newlines
        String header = "{\n \"b\": {\"data_offsets\": [8, 20], \"shape\": [3], \"dtype\": \"F32\"},\n"
                + " \"__metadata__\": {\"format\": \"pt\"},\n \"a\": {\"shape\": [1, 2], \"dtype\": \"F32\","
                + " \"data_offsets\": [0, 8]}}";
        Path p = write("foreign.safetensors", file(header, 1f, 2f, 3f, 4f, 5f));
        SafeTensors.Contents c = SafeTensors.read(p);
        assertEquals(List.of("b", "a"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new float[] {1f, 2f}, c.tensors().get("a").toArray());
        assertArrayEquals(new int[] {1, 2}, c.tensors().get("a").shape());
        assertArrayEquals(new float[] {3f, 4f, 5f}, c.tensors().get("b").toArray());
        assertEquals(Map.of("format", "pt"), c.metadata());
        // no tensors at all is a valid file too
        assertTrue(SafeTensors.read(write("empty.safetensors", file("{}"))).tensors().isEmpty());
    }

    // ---------------------------------------------------------------- corruption

    private void assertRejected(byte[] bytes, String fragment) throws IOException {
        Path p = write("bad.safetensors", bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    private static final String A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":";

    @Test
    void layoutProblemsAreNamed() throws IOException {
        assertRejected(file("{" + A + "[0,8]}}", 1f, 2f, 3f), "4 bytes after the last tensor");
        assertRejected(file("{" + A + "[4,12]}}", 1f, 2f, 3f), "gap of 4 bytes");
        assertRejected(file("{" + A + "[0,8]}, \"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                1f, 2f), "overlaps");
        assertRejected(file("{" + A + "[0,12]}}", 1f, 2f, 3f), "needs 8 bytes");
        assertRejected(file("{" + A + "[0,8]}}", 1f), "runs past");
        assertRejected(file("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 1f), "dtype F16");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", 1f, 2f),
                "not a non-negative integer");
        assertRejected(file("{" + A + "[0,8],\"extra\":1}}", 1f, 2f), "unknown header field");
        assertRejected(file("{" + A + "[0,8]}, \"__metadata__\": {\"n\": 1}}", 1f, 2f), "not a string");
        assertRejected(file("{" + A + "[0,8]}, \"__metadata__\": {\"keel.format\": \"2\"}}", 1f, 2f),
                "newer than format 1");
        assertRejected(file("[]"), "does not start with '{'");
        assertRejected(file("{" + A + "[0,8]}"), "not well-formed JSON");
        assertRejected(new byte[] {1, 2, 3}, "too short");
        byte[] badUtf8 = file("{\"\u00e9\":1}");
        badUtf8[11] = (byte) 0xff;
        assertRejected(badUtf8, "not valid UTF-8");
    }

    @Test
    void hugeClaimsAreRejectedBeforeAllocating() throws IOException {
        ByteBuffer huge = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        assertRejected(huge.array(), "beyond the limit");
        ByteBuffer almostLimit = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(SafeTensors.MAX_HEADER_BYTES - 8);
        long before = Allocations.currentThreadAllocatedBytes();
        assertRejected(almostLimit.array(), "runs past the end");
        // a header claiming a 4 GB tensor in a tiny file
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1000000,1000],\"data_offsets\":[0,4000000000]}}",
                1f), "runs past");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,4]}}", 1f),
                "too large");
        if (Allocations.supported()) {
            long allocated = Allocations.currentThreadAllocatedBytes() - before;
            assertTrue(allocated < 10_000_000, allocated + " bytes allocated while rejecting huge claims");
        }
    }

    /** A small keel file, its bytes, and what it holds. */
    private byte[] smallKeelFile(Map<String, Tensor> tensors) throws IOException {
        Path p = dir.resolve("small.safetensors");
        SafeTensors.write(p, tensors, Map.of("labels", "a,b"));
        return Files.readAllBytes(p);
    }

    private static Map<String, Tensor> smallTensors() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", randn(3, 2, 3));
        t.put("b", randn(4, 2));
        return t;
    }

    @Test
    void everyTruncationIsAClearError() throws IOException {
        byte[] full = smallKeelFile(smallTensors());
        for (int length = 0; length < full.length; length++) {
            Path p = write("cut.safetensors", Arrays.copyOf(full, length));
            try {
                SafeTensors.read(p);
                fail("a file cut to " + length + " of " + full.length + " bytes loaded");
            } catch (ModelFileException expected) {
                assertTrue(expected.getMessage().startsWith(p.toString()), expected.getMessage());
            }
        }
    }

    @Test
    void everySingleBitFlipIsAnErrorOrChangesNothing() throws IOException {
        Map<String, Tensor> tensors = smallTensors();
        byte[] full = smallKeelFile(tensors);
        SafeTensors.Contents original = SafeTensors.read(write("orig.safetensors", full));
        String checksum = original.metadata().get(SafeTensors.CHECKSUM_KEY);
        int loaded = 0, rejected = 0;
        for (int i = 0; i < full.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = full.clone();
                flipped[i] ^= (byte) (1 << bit);
                Path p = write("flip.safetensors", flipped);
                SafeTensors.Contents c;
                try {
                    c = SafeTensors.read(p);
                } catch (ModelFileException e) {
                    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
                    rejected++;
                    continue;
                } catch (RuntimeException e) {
                    throw new AssertionError("byte " + i + " bit " + bit + ": " + e, e);
                }
                // Loaded: only possible when the flip hit something without meaning, e.g. the
                // checksum's own key name (the file then reads as one without a checksum).
                loaded++;
                assertSameTensors(tensors, c.tensors());
                Map<String, String> m = new LinkedHashMap<>(c.metadata());
                m.values().remove(checksum);
                Map<String, String> o = new LinkedHashMap<>(original.metadata());
                o.values().remove(checksum);
                assertEquals(o, m, "byte " + i + " bit " + bit);
            }
        }
        assertTrue(rejected > 0.95 * 8 * full.length, rejected + " rejected, " + loaded + " loaded");
    }

    @Test
    void aFlippedDataBitIsCaughtByTheChecksum() throws IOException {
        byte[] full = smallKeelFile(smallTensors());
        full[full.length - 3] ^= 0x10;
        assertRejected(full, "checksum mismatch");
    }

    // ---------------------------------------------------------------- atomic save

    @Test
    void saveReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, smallTensors(), Map.of());
        Map<String, Tensor> second = new LinkedHashMap<>();
        second.put("other", randn(9, 4));
        SafeTensors.write(file, second, Map.of());
        assertSameTensors(second, SafeTensors.read(file).tensors());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aSavedFileHasTheUsualPermissionsNotOwnerOnly() throws IOException {
        Path file = dir.resolve("shared.safetensors");
        SafeTensors.write(file, smallTensors(), Map.of());
        Path ordinary = Files.createFile(dir.resolve("ordinary"));
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
        assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(file));
    }

    @Test
    void aFailedSaveLeavesTheOldStateAndNoTemporaryFiles() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "precious");
        assertThrows(IOException.class, () -> SafeTensors.write(target, smallTensors(), Map.of()));
        assertEquals("precious", Files.readString(target.resolve("keep.txt")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(dir.resolve("x"), smallTensors(), Map.of(SafeTensors.FORMAT_KEY, "9")));
    }
}
