package pomf.storage.control;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import pomf.delivery.control.BodySource;
import pomf.delivery.control.Piece;

/**
 * The body of an answer from a blob file, in windows of the file mapped into memory: the socket takes the bytes
 * straight from the page cache, with no copy on the heap and nothing held per slow client but the mapping (released
 * when the collector finds it unused). A blob never changes once published, so a mapping stays right.
 */
public final class FileBody implements BodySource {
    /** A few pieces per mapping: one map call per window, small enough that a slow client pins little. */
    private static final long WINDOW = 4L * 1024 * 1024;

    private final FileChannel channel;
    private final long size;
    private MappedByteBuffer window;
    private long windowStart = -1;

    private FileBody(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    public static FileBody open(Path blob) throws IOException {
        FileChannel channel = FileChannel.open(blob, StandardOpenOption.READ);
        return new FileBody(channel, channel.size());
    }

    public long size() {
        return size;
    }

    @Override
    public boolean next(long position, int max, Piece piece, Runnable wake) throws IOException {
        if (position >= size) {
            throw new IOException("the blob is shorter than its registry row");
        }
        if (window == null || position < windowStart || position >= windowStart + window.capacity()) {
            windowStart = position;
            window = channel.map(FileChannel.MapMode.READ_ONLY, position, Math.min(WINDOW, size - position));
        }
        int from = (int) (position - windowStart);
        int n = (int) Math.min(max, window.capacity() - from);
        piece.set(window.slice(from, n));
        return true;
    }

    @Override
    public void close() {
        try {
            channel.close(); // mappings stay valid after the channel closes
        } catch (IOException e) {
            // nothing to do
        }
    }
}
