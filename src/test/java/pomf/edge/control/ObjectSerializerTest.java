package pomf.edge.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
