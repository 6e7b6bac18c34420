package pomf.edge.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ehcache.spi.serialization.SerializerException;
import pomf.edge.entity.CachedObject;
import pomf.edge.entity.Chunk;

/**
 * Coverage-guided fuzzing of what the edge reads back from its disk tier (issue 14): a full or failing disk, or a
 * file changed under the store, hands the serializers arbitrary bytes. The fuzzer makes an object's description
 * (names, tags and headers of any characters, any sizes) and a chunk, and either stores them as they are or damages
 * the stored bytes (flips, cuts, overwrites with extreme numbers, appends), or hands over its own raw bytes. A read
 * must either fail with Ehcache's {@link SerializerException} (which the store takes as a miss) or give an object
 * the edge can serve from: a size and chunk size whose chunks can be counted, indexed and allocated, no null, and
 * the same object when written and read again. What was stored undamaged must read back equal.
 */
class StoredEntriesFuzzTest {
    private final ObjectSerializer objects = new ObjectSerializer();
    private final ChunkSerializer chunks = new ChunkSerializer();

    @FuzzTest(maxDuration = "10s")
    void damagedEntriesReadAsMissesNeverAsBrokenObjects(FuzzedDataProvider data) {
        CachedObject object = object(data);
        byte[] body = data.consumeBytes(data.consumeInt(0, 256));
        int mode = data.consumeInt(0, 2);
        if (mode == 0) {
            ByteBuffer stored = serializeOrRefuse(object);
            if (stored != null) {
                assertEquals(object, objects.read(stored.duplicate()));
                assertTrue(objects.equals(object, stored.duplicate()));
            }
            assertArrayEquals(
                    body, chunks.read(chunks.serialize(new Chunk(body))).bytes());
            return;
        }
        byte[] stored;
        byte[] storedChunk;
        if (mode == 1) {
            ByteBuffer written = serializeOrRefuse(object);
            stored = written == null ? new byte[0] : bytes(written);
            storedChunk = bytes(chunks.serialize(new Chunk(body)));
            stored = damage(data, stored);
            storedChunk = damage(data, storedChunk);
        } else {
            stored = data.consumeBytes(data.consumeInt(0, 512));
            storedChunk = data.consumeRemainingAsBytes();
        }

        try {
            CachedObject read = objects.read(ByteBuffer.wrap(stored));
            servable(read);
            // Not byte for byte: modified UTF-8 reads a raw NUL that it writes as two bytes, harmlessly.
            assertEquals(read, objects.read(objects.serialize(read)), "a description that reads must write back");
            assertTrue(objects.equals(read, ByteBuffer.wrap(stored)));
        } catch (SerializerException e) {
            // a miss: documented
        }
        try {
            Chunk chunk = chunks.read(ByteBuffer.wrap(storedChunk));
            assertArrayEquals(storedChunk, bytes(chunks.serialize(chunk)));
        } catch (SerializerException e) {
            // a miss: documented
        }
    }

    /** What the edge's answers rely on: chunks it can count, index and allocate, and text it can send. */
    private static void servable(CachedObject o) {
        assertTrue(o.name() != null && o.etag() != null && o.lastModified() != null && o.headers() != null, "nulls");
        assertTrue(o.size() >= 0, () -> "size " + o.size());
        assertTrue(o.chunkSize() > 0, () -> "chunk size " + o.chunkSize());
        BigInteger count = BigInteger.valueOf(o.size())
                .add(BigInteger.valueOf(o.chunkSize() - 1L))
                .divide(BigInteger.valueOf(o.chunkSize()));
        assertTrue(count.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) <= 0, () -> "chunks " + count);
        assertEquals(count.intValueExact(), o.chunkCount());
        if (o.chunkCount() > 0) {
            int last = o.chunkCount() - 1;
            assertTrue(o.chunkLength(last) > 0 && o.chunkLength(last) <= o.chunkSize(), "last chunk's length");
            assertEquals(o.size(), o.chunkStart(last) + o.chunkLength(last));
        }
        o.headers().forEach((k, v) -> assertTrue(k != null && v != null, "a null header"));
    }

    private ByteBuffer serializeOrRefuse(CachedObject object) {
        try {
            return objects.serialize(object);
        } catch (SerializerException e) {
            return null; // too large to write: documented
        }
    }

    private static CachedObject object(FuzzedDataProvider data) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int h = data.consumeInt(0, 4); h > 0; h--) {
            headers.put(text(data), text(data));
        }
        long size = data.pickValue(new long[] {0, 1, 1047552, 1047553, data.consumeLong(0, Long.MAX_VALUE / 2)});
        int chunkSize = data.pickValue(new int[] {1, 1047552, data.consumeInt(1, Integer.MAX_VALUE)});
        // Sizes whose chunks could not be counted are never stored: the fill makes objects of real sizes only.
        if ((size + chunkSize - 1) / chunkSize > Integer.MAX_VALUE) {
            size = (long) chunkSize * data.consumeInt(0, 1 << 20);
        }
        return new CachedObject(
                text(data), text(data), text(data), size, chunkSize, headers, data.consumeLong(), data.consumeLong());
    }

    /** Any characters (lone surrogates too), now and then longer than a stored string may be. */
    private static String text(FuzzedDataProvider data) {
        if (data.consumeInt(0, 255) == 255) { // not 0: an exhausted input reads as 0
            return String.valueOf(data.consumeChar()).repeat(data.consumeInt(20_000, 70_000));
        }
        return data.consumeString(24);
    }

    private static byte[] damage(FuzzedDataProvider data, byte[] stored) {
        byte[] bytes = stored;
        for (int d = data.consumeInt(1, 4); d > 0; d--) {
            int at = bytes.length == 0 ? 0 : data.consumeInt(0, bytes.length - 1);
            switch (data.consumeInt(0, 4)) {
                case 0 -> {
                    if (bytes.length > 0) {
                        bytes[at] ^= (byte) data.consumeInt(1, 255);
                    }
                }
                case 1 -> bytes = java.util.Arrays.copyOf(bytes, at);
                case 2 -> {
                    byte[] extra = data.consumeBytes(data.consumeInt(1, 16));
                    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + extra.length);
                    System.arraycopy(extra, 0, longer, bytes.length, extra.length);
                    bytes = longer;
                }
                default -> {
                    long extreme = data.pickValue(
                            new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE});
                    ByteBuffer b = ByteBuffer.wrap(bytes);
                    int width = data.pickValue(new int[] {2, 4, 8});
                    if (at + width <= bytes.length) {
                        switch (width) {
                            case 2 -> b.putShort(at, (short) extreme);
                            case 4 -> b.putInt(at, (int) extreme);
                            default -> b.putLong(at, extreme);
                        }
                    }
                }
            }
        }
        return bytes;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
