package pomf.it.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One GET of one file (whole or a byte range) from one address, its body compared as it streams with the local
 * copy of the uploaded file at the same offset, and for a whole file also hashed. A body shorter than promised whose
 * bytes all match is a broken transfer (cut_off, "truncated"); any differing byte is a wrong body. connect_error means
 * no answer came at all.
 */
public final class LoadFetch {
    private static final int CONNECT_MILLIS = 2_000;
    private static final int READ_MILLIS = 5_000;

    /**
     * The verdict: outcome label, bytes received, why when it is not plainly "ok", and the edge's X-Cache-Status
     * (null when the answer had none or there was no answer).
     */
    public record Result(String outcome, long bytes, String note, String cache) {
        Result(String outcome, long bytes, String note) {
            this(outcome, bytes, note, null);
        }

        public boolean ok() {
            return outcome.equals("ok");
        }

        Result cached(String status) {
            return new Result(outcome, bytes, note, status);
        }
    }

    private volatile HttpURLConnection connection;

    /** Fetches bytes first..last of the file (inclusive), or the whole file when first is negative. */
    public Result fetch(String address, int port, CatalogueFile file, Path local, long first, long last) {
        String[] cache = new String[1];
        Result result = fetch(address, port, file, local, first, last, cache);
        HttpURLConnection used = connection;
        connection = null;
        if (used != null && !result.ok()) {
            // A connection left after a failure may still hold unread bytes: never reuse it for the next request,
            // or one wrong answer would be read again as the start of the next.
            used.disconnect();
        }
        return result.cached("null".equals(cache[0]) ? null : cache[0]);
    }

    private Result fetch(
            String address, int port, CatalogueFile file, Path local, long first, long last, String[] cache) {
        boolean range = first >= 0;
        long received = 0;
        try (FileChannel expected = FileChannel.open(local)) {
            HttpURLConnection c =
                    (HttpURLConnection) new URL("http", address, port, "/f/" + file.name()).openConnection();
            connection = c;
            c.setConnectTimeout(CONNECT_MILLIS);
            c.setReadTimeout(READ_MILLIS);
            c.setUseCaches(false);
            if (range) {
                c.setRequestProperty("Range", "bytes=" + first + "-" + last);
            }
            int status = c.getResponseCode();
            cache[0] = String.valueOf(c.getHeaderField("X-Cache-Status")); // "null": answered without one
            if (status != 200 && status != 206) {
                drain(c.getErrorStream());
                return new Result("http_error(" + status + ")", 0, null);
            }
            long offset = 0;
            long length = file.size();
            String note = null;
            if (status == 206) {
                String want = "bytes " + first + "-" + last + "/" + file.size();
                if (!range || !want.equals(c.getHeaderField("Content-Range"))) {
                    drain(c.getInputStream());
                    return new Result(
                            "wrong_body",
                            0,
                            "206 with Content-Range " + c.getHeaderField("Content-Range")
                                    + (range ? ", wanted " + want : " to a request without Range"));
                }
                offset = first;
                length = last - first + 1;
            } else if (range) {
                note = "200 to Range " + first + "-" + last;
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            ByteBuffer mine = ByteBuffer.allocate(buffer.length);
            try (InputStream body = c.getInputStream()) {
                for (int n; (n = body.read(buffer)) > 0; ) {
                    if (received + n > length) {
                        return new Result("wrong_body", received + n, "body longer than " + length + " bytes");
                    }
                    mine.clear().limit(n);
                    int got = expected.read(mine, offset + received);
                    // The local copy is shorter than the body when got < n: a mismatch at its end.
                    int differs = Arrays.mismatch(buffer, 0, n, mine.array(), 0, Math.max(0, got));
                    if (differs >= 0) {
                        return new Result(
                                "wrong_body",
                                received + n,
                                "byte " + (offset + received + differs) + " differs; " + describe(c, buffer, n));
                    }
                    sha.update(buffer, 0, n);
                    received += n;
                }
            }
            if (received < length) {
                return new Result("cut_off", received, "truncated at " + received + " of " + length);
            }
            if (status == 200 && !HexFormat.of().formatHex(sha.digest()).equalsIgnoreCase(file.sha256())) {
                return new Result("wrong_body", received, "SHA-256 differs from the catalogue's");
            }
            return new Result("ok", received, note);
        } catch (IOException e) {
            // Before an answer the request never reached the server; after one, the transfer broke.
            return new Result(cache[0] == null && received == 0 ? "connect_error" : "cut_off", received, null);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a wrong answer looked like: enough to tell whose bytes they were and who sent them. */
    private static String describe(HttpURLConnection c, byte[] body, int n) throws IOException {
        String etag = String.valueOf(c.getHeaderField("ETag"));
        return c.getResponseCode() + " " + c.getHeaderField("X-Cache-Status") + ", ETag "
                + etag.substring(0, Math.min(14, etag.length())) + "…, Content-Length "
                + c.getHeaderField("Content-Length") + ", " + c.getHeaderField("Content-Range") + ", body starts "
                + HexFormat.of().formatHex(body, 0, Math.min(8, n));
    }

    /** Closes the connection in flight, if any, so a thread blocked reading it returns at once. */
    void abort() {
        HttpURLConnection c = connection;
        if (c != null) {
            c.disconnect();
        }
    }

    private static void drain(InputStream stream) throws IOException {
        if (stream != null) {
            try (stream) {
                stream.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
    }
}
