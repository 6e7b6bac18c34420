package pomf.edge.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.ehcache.spi.serialization.SerializerException;
import org.junit.jupiter.api.Test;
import pomf.edge.entity.Chunk;

class ChunkSerializerTest {
    final ChunkSerializer serializer = new ChunkSerializer();

    @Test
    void aChunkReadsBackAsWritten() {
        byte[] bytes = new byte[100_000];
        new Random(1).nextBytes(bytes);
        ByteBuffer stored = serializer.serialize(new Chunk(bytes));
        assertThat(stored.remaining()).isEqualTo(bytes.length + 4);
        assertThat(serializer.read(stored).bytes()).isEqualTo(bytes);
    }

    @Test
    void anyFlippedByteIsRefusedNotServed() {
        byte[] bytes = new byte[5000];
        new Random(2).nextBytes(bytes);
        ByteBuffer stored = serializer.serialize(new Chunk(bytes));
        for (int at : new int[] {0, 2500, 4999, 5001}) {
            ByteBuffer damaged = ByteBuffer.allocate(stored.remaining())
                    .put(stored.duplicate())
                    .flip();
            damaged.put(at, (byte) (damaged.get(at) ^ 0x10));
            assertThatThrownBy(() -> serializer.read(damaged))
                    .as("byte %d", at)
                    .isInstanceOf(SerializerException.class);
        }
        assertThatThrownBy(() -> serializer.read(ByteBuffer.allocate(3))).isInstanceOf(SerializerException.class);
    }

    @Test
    void aChunkWithRoomForItsSealIsSealedInPlaceInTheSameFormat() {
        byte[] bytes = new byte[5000];
        new Random(3).nextBytes(bytes);
        byte[] withRoom = Arrays.copyOf(bytes, bytes.length + ChunkSerializer.SEAL);

        ByteBuffer inPlace = serializer.serialize(new Chunk(withRoom, bytes.length));

        assertThat(inPlace.array()).as("no copy of the chunk").isSameAs(withRoom);
        assertThat(inPlace).isEqualTo(serializer.serialize(new Chunk(bytes)));
        Chunk back = serializer.read(inPlace.duplicate());
        assertThat(back.bytes()).isEqualTo(bytes);
        assertThat(back.length()).isEqualTo(bytes.length);
        assertThat(serializer.equals(new Chunk(withRoom, bytes.length), inPlace.duplicate()))
                .isTrue();
        assertThatThrownBy(() -> new Chunk(bytes, bytes.length + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFormatIsTheOneOfEarlierStores() {
        // bytes then their CRC32C, big-endian: what the byte[] caches of earlier versions hold
        ByteBuffer stored = serializer.serialize(new Chunk(new byte[] {1, 2, 3}));
        ByteBuffer expected = ByteBuffer.allocate(7)
                .put(new byte[] {1, 2, 3})
                .putInt(ChunkSerializer.crc(new byte[] {1, 2, 3}, 3))
                .flip();
        assertThat(stored).isEqualTo(expected);
    }
}
