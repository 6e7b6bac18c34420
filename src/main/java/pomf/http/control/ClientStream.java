package pomf.http.control;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A response stream on which a failed write means the client left (reset, broken pipe, write timeout): a
 * {@link ClientGone}, which servlets log at FINE instead of letting the container log a warning with a stack trace
 * for every viewer who closes a video early.
 */
public final class ClientStream extends FilterOutputStream {

    /** The client is gone; nothing is wrong on this side. */
    public static final class ClientGone extends IOException {
        ClientGone(IOException cause) {
            super("the client left: " + cause.getMessage(), cause);
        }
    }

    public ClientStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }
}
