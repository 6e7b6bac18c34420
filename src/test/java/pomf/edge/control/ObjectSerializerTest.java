package pomf.edge.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.ehcache.spi.serialization.SerializerException;
import org.junit.jupiter.api.Test;
import pomf.edge.entity.CachedObject;

/** An object's description on the disk tier: written and read back whole, or refused the way Ehcache expects. */
class ObjectSerializerTest {
    final ObjectSerializer serializer = new ObjectSerializer();

    static CachedObject object(Map<String, String> headers) {
        return new CachedObject("a.png", "\"e\"", "", 10, 1047552, headers, 1, 2);
    }

    @Test
    void anObjectReadsBackAsWritten() {
        CachedObject object = object(Map.of("Content-Type", "image/png"));
        assertThat(serializer.read(serializer.serialize(object))).isEqualTo(object);
    }

    /**
     * Fuzzing finding (issue 14): a header longer than a stored string may be (64 KiB as modified UTF-8) failed
     * with an UncheckedIOException, outside Ehcache's serializer contract; it is a SerializerException now.
     */
    @Test
    void aTextTooLongToStoreIsASerializerFailure() {
        CachedObject object = object(Map.of("X-Long", "\u8861".repeat(30_000)));
        assertThatThrownBy(() -> serializer.serialize(object)).isInstanceOf(SerializerException.class);
    }

    /**
     * Fuzzing finding (issue 14): a damaged description read as an object with a chunk size of 0 (every answer then
     * divided by zero), a negative size, or more chunks than an index can count. A description is read only whole
     * and sound; anything else is a SerializerException, which the store takes as a miss.
     */
    @Test
    void aDamagedDescriptionIsAMissNotAnObject() {
        CachedObject sound = object(Map.of("Content-Type", "image/png"));
        byte[] bytes = serializer.serialize(sound).array();
        int sizeAt = 1 + (2 + 5) + (2 + 3) + 2; // the version, then name, etag and last-modified as modified UTF-8
        assertThat(ByteBuffer.wrap(bytes).getLong(sizeAt)).isEqualTo(sound.size());
        for (int chunkSize : new int[] {0, -1, Integer.MIN_VALUE}) {
            byte[] damaged = bytes.clone();
            ByteBuffer.wrap(damaged).putInt(sizeAt + 8, chunkSize);
            assertThatThrownBy(() -> serializer.read(ByteBuffer.wrap(damaged)))
                    .as("chunk size " + chunkSize)
                    .isInstanceOf(SerializerException.class);
        }
        byte[] negative = bytes.clone();
        ByteBuffer.wrap(negative).putLong(sizeAt, -5);
        assertThatThrownBy(() -> serializer.read(ByteBuffer.wrap(negative))).isInstanceOf(SerializerException.class);
        byte[] uncountable = bytes.clone();
        ByteBuffer.wrap(uncountable).putLong(sizeAt, Long.MAX_VALUE).putInt(sizeAt + 8, 1);
        assertThatThrownBy(() -> serializer.read(ByteBuffer.wrap(uncountable))).isInstanceOf(SerializerException.class);
        byte[] overflowing = bytes.clone();
        ByteBuffer.wrap(overflowing).putLong(sizeAt, Long.MAX_VALUE).putInt(sizeAt + 8, 2);
        assertThatThrownBy(() -> serializer.read(ByteBuffer.wrap(overflowing))).isInstanceOf(SerializerException.class);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertThatThrownBy(() -> serializer.read(ByteBuffer.wrap(longer))).isInstanceOf(SerializerException.class);
        assertThat(serializer.read(ByteBuffer.wrap(bytes))).isEqualTo(sound);
    }
}
