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
 * written before (plain byte arrays with the same seal), so they open warm. A chunk fresh from the origin has room
 * for its seal after its bytes ({@link Fill}): the seal is written there and the chunk goes to Ehcache as it is,
 * without a copy of a megabyte per chunk filled (Ehcache copies it once more into its own buffer).
 */
final class ChunkSerializer implements Serializer<Chunk> {
    private static final Logger LOG = Logger.getLogger(ChunkSerializer.class.getName());

    /** The seal's size: the CRC32C after the bytes. */
    static final int SEAL = 4;

    @Override
    public ByteBuffer serialize(Chunk chunk) {
        byte[] bytes = chunk.bytes();
        int length = chunk.length();
        int crc = crc(bytes, length);
        if (bytes.length - length >= SEAL) {
            // Past the chunk's length: no answer reads there, and a second serialisation writes the same value.
            ByteBuffer.wrap(bytes).putInt(length, crc);
            return ByteBuffer.wrap(bytes, 0, length + SEAL).slice();
        }
        ByteBuffer sealed = ByteBuffer.allocate(length + SEAL);
        sealed.put(bytes, 0, length).putInt(crc);
        return sealed.flip();
    }

    @Override
    public Chunk read(ByteBuffer binary) {
        int length = binary.remaining() - SEAL;
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
        Chunk stored = read(binary);
        return Arrays.equals(chunk.bytes(), 0, chunk.length(), stored.bytes(), 0, stored.length());
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
