package pomf.edge.control;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.ehcache.spi.serialization.Serializer;
import org.ehcache.spi.serialization.SerializerException;
import pomf.edge.entity.CachedObject;

/**
 * An object's description on disk, in {@link CachedObject#encode()}'s format. On the heap tier Ehcache keeps the
 * decoded object itself, so a hit decodes nothing.
 */
final class ObjectSerializer implements Serializer<CachedObject> {

    @Override
    public ByteBuffer serialize(CachedObject object) {
        try {
            return ByteBuffer.wrap(object.encode());
        } catch (RuntimeException e) {
            // A text past a stored string's 64 KiB: Ehcache's contract has SerializerException for what cannot be
            // written.
            throw new SerializerException("cache entry cannot be written", e);
        }
    }

    @Override
    public CachedObject read(ByteBuffer binary) {
        byte[] bytes = new byte[binary.remaining()];
        binary.get(bytes);
        try {
            return CachedObject.decode(bytes);
        } catch (RuntimeException e) {
            throw new SerializerException("unreadable cache entry", e);
        }
    }

    @Override
    public boolean equals(CachedObject object, ByteBuffer binary) {
        return Arrays.equals(object.encode(), serialize(read(binary)).array());
    }
}
