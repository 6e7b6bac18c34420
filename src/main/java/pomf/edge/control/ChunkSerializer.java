package pomf.edge.control;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.logging.Logger;
import java.util.zip.CRC32C;
import org.ehcache.spi.serialization.Serializer;
import org.ehcache.spi.serialization.SerializerException;
import pomf.edge.entity.Chunk;

/**
 * A chunk on disk: its bytes, then their CRC32C. A disk tier that fails (full, damaged) must read as a miss, never
 * as wrong bytes: a chunk whose checksum disagrees is refused here, and Ehcache drops it. The check runs once, when a
 * chunk comes from disk to the heap tier (about 0.1 ms per MiB with the JDK's intrinsic), not on every answer. The
 * 4 bytes keep a chunk of 1 MiB − 1 KiB inside Ehcache's 1 MiB allocation; the format is the one of the stores
 * written before (plain byte arrays with the same seal), so they open warm.
 */
final class ChunkSerializer implements Serializer<Chunk> {
    private static final Logger LOG = Logger.getLogger(ChunkSerializer.class.getName());

    @Override
    public ByteBuffer serialize(Chunk chunk) {
        byte[] bytes = chunk.bytes();
        ByteBuffer sealed = ByteBuffer.allocate(bytes.length + 4);
        sealed.put(bytes).putInt(crc(bytes, bytes.length));
        return sealed.flip();
    }

    @Override
    public Chunk read(ByteBuffer binary) {
        int length = binary.remaining() - 4;
        if (length < 0) {
            throw damaged();
        }
        byte[] bytes = new byte[length];
        binary.get(bytes);
        if (binary.getInt() != crc(bytes, length)) {
            throw damaged();
        }
        return new Chunk(bytes);
    }

    @Override
    public boolean equals(Chunk chunk, ByteBuffer binary) {
        return Arrays.equals(chunk.bytes(), read(binary).bytes());
    }

    static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private static SerializerException damaged() {
        LOG.warning("a stored chunk failed its checksum: dropped, refetched from the origin");
        return new SerializerException("chunk checksum mismatch");
    }
}
