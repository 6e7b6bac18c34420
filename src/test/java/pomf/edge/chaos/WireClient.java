package pomf.edge.chaos;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A small HTTP/1.1 client over a socket that hides nothing: the status line and headers as sent, the body framed by
 * Content-Length, chunked encoding or the connection's close, and exactly how the exchange ended (complete, cut,
 * timed out, refused). One connection, kept alive between complete answers and dropped after anything else, so a
 * broken answer is never read as the start of the next one.
 */
final class WireClient implements AutoCloseable {
    private final String host;
    private final int port;
    private final int connectMillis;
    private final int readMillis;
    private volatile Socket socket;
    private WireReader in;
    private volatile boolean stopped;

    WireClient(String host, int port, int connectMillis, int readMillis) {
        this.host = host;
        this.port = port;
        this.connectMillis = connectMillis;
        this.readMillis = readMillis;
    }

    /**
     * Sends {@code request}; {@code expect} turns the status and headers into the check of the body, whose bytes it
     * is then fed. A kept-alive connection the server closed meanwhile is retried once on a new one, as browsers do.
     */
    WireAnswer exchange(ChaosRequest request, BiFunction<Integer, Map<String, String>, BodyMatch> expect) {
        boolean reused = socket != null;
        WireAnswer answer = once(request, expect);
        if (reused && answer.ending() == WireAnswer.Ending.CUT && !answer.answered() && !stopped) {
            answer = once(request, expect);
        }
        return answer;
    }

    private WireAnswer once(ChaosRequest request, BiFunction<Integer, Map<String, String>, BodyMatch> expect) {
        long sent = System.nanoTime();
        try {
            if (socket == null) {
                connect();
            }
            socket.setSoTimeout(readMillis); // a wrong answer before may have shortened it
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + request.path() + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                            + request.headerLines() + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            sent = System.nanoTime();
        } catch (ConnectException e) {
            drop();
            return WireAnswer.without(WireAnswer.Ending.REFUSED, sent, e.getMessage());
        } catch (IOException e) {
            drop();
            return WireAnswer.without(ending(e), sent, e.toString());
        }
        return read(request, expect, sent);
    }

    private WireAnswer read(
            ChaosRequest request, BiFunction<Integer, Map<String, String>, BodyMatch> expect, long sent) {
        int status;
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            String version;
            do {
                String line = in.line(true);
                String[] parts = line.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
                    throw new WireReader.Malformed("status line " + line);
                }
                version = parts[0];
                status = Integer.parseInt(parts[1]);
                headers.clear();
                for (String header = in.line(false); !header.isEmpty(); header = in.line(false)) {
                    int colon = header.indexOf(':');
                    if (colon <= 0) {
                        throw new WireReader.Malformed("header line " + header);
                    }
                    headers.merge(
                            header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            header.substring(colon + 1).trim(),
                            (a, b) -> a + ", " + b);
                }
            } while (status >= 100 && status < 200);
            boolean close =
                    version.equals("HTTP/1.0") || "close".equalsIgnoreCase(headers.getOrDefault("connection", ""));
            return body(request, expect.apply(status, headers), status, headers, close, sent);
        } catch (IOException e) {
            drop();
            return WireAnswer.without(ending(e), sent, e.toString());
        }
    }

    private WireAnswer body(
            ChaosRequest request, BodyMatch body, int status, Map<String, String> headers, boolean close, long sent) {
        WireAnswer.Framing framing = framing(status, headers);
        WireAnswer.Ending ending = WireAnswer.Ending.COMPLETE;
        String error = null;
        try {
            switch (framing) {
                case NONE -> {}
                case LENGTH -> in.fixed(request, body, Long.parseLong(headers.get("content-length")));
                case CHUNKED -> in.chunked(request, body);
                case CLOSE -> in.fixed(request, body, Long.MAX_VALUE);
            }
        } catch (WireReader.Abandoned e) {
            ending = WireAnswer.Ending.ABANDONED;
        } catch (EOFException e) {
            ending = framing == WireAnswer.Framing.CLOSE ? WireAnswer.Ending.COMPLETE : WireAnswer.Ending.CUT;
            error = framing == WireAnswer.Framing.CLOSE ? null : e.getMessage();
        } catch (IOException | NumberFormatException e) {
            ending = e instanceof NumberFormatException ? WireAnswer.Ending.MALFORMED : ending((IOException) e);
            error = e.toString();
        }
        if (ending != WireAnswer.Ending.COMPLETE || close || framing == WireAnswer.Framing.CLOSE) {
            drop();
        }
        return new WireAnswer(
                ending, status, Map.copyOf(headers), framing, body.received(), sent, System.nanoTime(), error);
    }

    private static WireAnswer.Framing framing(int status, Map<String, String> headers) {
        if (status == 204 || status == 304) {
            return WireAnswer.Framing.NONE;
        }
        if (headers.getOrDefault("transfer-encoding", "")
                .toLowerCase(Locale.ROOT)
                .contains("chunked")) {
            return WireAnswer.Framing.CHUNKED;
        }
        return headers.containsKey("content-length") ? WireAnswer.Framing.LENGTH : WireAnswer.Framing.CLOSE;
    }

    private WireAnswer.Ending ending(IOException e) {
        if (stopped) {
            return WireAnswer.Ending.STOPPED;
        }
        if (e instanceof WireReader.Malformed) {
            return WireAnswer.Ending.MALFORMED;
        }
        return e instanceof SocketTimeoutException ? WireAnswer.Ending.TIMEOUT : WireAnswer.Ending.CUT;
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), connectMillis);
            s.setSoTimeout(readMillis);
            s.setTcpNoDelay(true);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new WireReader(s);
    }

    /** Closes the connection; the next exchange opens a new one. */
    void drop() {
        Socket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    /** Ends the exchange in flight from another thread: it returns as STOPPED. */
    @Override
    public void close() {
        stopped = true;
        drop();
    }
}
