package pomf.edge.entity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the edge knows of one cached object: its version (the origin's ETag), size, the headers it is served with,
 * and when it was stored and stops being fresh. Its chunks are stored apart, keyed by name, version and index.
 * Freshness is ours, not Ehcache's expiry: an expired object must stay readable for stale answers.
 */
public record CachedObject(
        String name,
        String etag,
        String lastModified,
        long size,
        int chunkSize,
        Map<String, String> headers,
        long storedAtMillis,
        long freshUntilMillis) {

    public int chunkCount() {
        return size == 0 ? 0 : (int) ((size + chunkSize - 1) / chunkSize);
    }

    public long chunkStart(int index) {
        return (long) index * chunkSize;
    }

    public int chunkLength(int index) {
        return (int) Math.min(chunkSize, size - chunkStart(index));
    }

    public String chunkKey(int index) {
        return name + "|" + etag + "|" + index;
    }

    public boolean fresh(long nowMillis) {
        return nowMillis < freshUntilMillis;
    }

    public CachedObject renewed(long nowMillis, long validMillis) {
        return new CachedObject(name, etag, lastModified, size, chunkSize, headers, nowMillis, nowMillis + validMillis);
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF(name);
            out.writeUTF(etag);
            out.writeUTF(lastModified);
            out.writeLong(size);
            out.writeInt(chunkSize);
            out.writeLong(storedAtMillis);
            out.writeLong(freshUntilMillis);
            out.writeShort(headers.size());
            for (Map.Entry<String, String> h : headers.entrySet()) {
                out.writeUTF(h.getKey());
                out.writeUTF(h.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static CachedObject decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readByte() != 1) {
                throw new IOException("unknown cache entry format");
            }
            String name = in.readUTF();
            String etag = in.readUTF();
            String lastModified = in.readUTF();
            long size = in.readLong();
            int chunkSize = in.readInt();
            long storedAt = in.readLong();
            long freshUntil = in.readLong();
            int count = in.readUnsignedShort();
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                headers.put(in.readUTF(), in.readUTF());
            }
            // Ehcache's disk tier has no checksum: a damaged description must not read as an object that every
            // answer trips on (chunks counted by dividing by the chunk size, arrays of chunkCount()).
            if (size < 0 || chunkSize <= 0 || (size > 0 && (size - 1) / chunkSize >= Integer.MAX_VALUE)) {
                throw new IOException("damaged cache entry: size " + size + ", chunk size " + chunkSize);
            }
            if (in.available() > 0) {
                throw new IOException("damaged cache entry: bytes after its end");
            }
            return new CachedObject(name, etag, lastModified, size, chunkSize, headers, storedAt, freshUntil);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
