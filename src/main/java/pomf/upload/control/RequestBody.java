package pomf.upload.control;

import java.io.IOException;
import java.io.InputStream;
import pomf.upload.entity.UploadRejectedException;

/**
 * The request body as the upload reads it: bounded (413 the moment a chunked body passes the limit) and with
 * the client's failures told apart from the server's, since a disconnect is not a server fault.
 */
public final class RequestBody extends InputStream {
    private final InputStream in;
    private final long limit;
    private long count;

    public RequestBody(InputStream in, long limit) {
        this.in = in;
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
        if (n > 0) {
            count += n;
            if (count > limit) {
                throw UploadRejectedException.tooLarge(limit);
            }
        }
        return n;
    }

    /** The client stopped sending (disconnect, reset, timeout): nothing to answer, nothing to keep. */
    public static class ClientGoneException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientGoneException(IOException cause) {
            super("client went away: " + cause.getMessage(), cause);
        }
    }
}
