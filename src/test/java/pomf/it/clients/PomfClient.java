package pomf.it.clients;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import pomf.it.deployments.ServerLog;

/** A client of a running instance, as the Pomf clients (curl, ShareX) and a misbehaving client would talk to it. */
public final class PomfClient {
    public static final int PORT = Integer.getInteger("pomf.it.port", 18080);
    private static final HttpClient HTTP =
            // HTTP/1.1 as browsers, curl and ShareX speak to a plain-HTTP host. Left to its default, Java's client asks
            // to switch to h2c on every new connection, which the listener does not offer: Grizzly then answers on
            // the servlet path and closes the connection (BadInputIT and TrafficIT test those requests).
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();

    private PomfClient() {}

    public static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + PORT + path);
    }

    public static HttpResponse<String> upload(String query, Multipart body) {
        return send(
                HttpRequest.newBuilder(uri("/upload.php" + query))
                        .header("Content-Type", body.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> upload(Multipart body) {
        return upload("", body);
    }

    public static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    public static HttpResponse<byte[]> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public static HttpResponse<String> getText(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> post(String path, String form) {
        return send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Uploads one file, which must be accepted, and returns the stored name its link ends in. */
    public static String uploadedName(String filename, byte[] content) {
        HttpResponse<String> answer = upload(new Multipart().file(filename, content));
        if (answer.statusCode() != 200) {
            throw new AssertionError("upload of " + filename + " answered " + answer.statusCode() + ": " + answer.body()
                    + ServerLog.recentProblems());
        }
        String url = json(answer).getJsonArray("files").getJsonObject(0).getString("url");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** The path of a URL this instance handed out ({@code http://127.0.0.1:18080/f/x} → {@code /f/x}). */
    public static String path(String url) {
        return URI.create(url).getRawPath();
    }

    /** Sends raw bytes on a new connection and returns everything the server answers until it closes. */
    public static String raw(byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", PORT)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a request on a new connection from a second thread while reading the answer, as curl does: a server
     * that answers early (413, 415, 507) and closes is seen as the client sees it. Returns the whole answer.
     */
    public static String rawWhileSending(byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", PORT)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            Thread sender = new Thread(() -> {
                try {
                    for (int off = 0; off < request.length; off += 64 * 1024) {
                        out.write(request, off, Math.min(64 * 1024, request.length - off));
                    }
                    out.flush();
                } catch (IOException closedByServer) {
                    // the server answered early and closed the connection
                }
            });
            sender.start();
            byte[] answer = socket.getInputStream().readAllBytes();
            sender.join(30_000);
            return new String(answer, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    public static String sha1(byte[] bytes) {
        return hex("SHA-1", bytes);
    }

    public static String sha256(byte[] bytes) {
        return hex("SHA-256", bytes);
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return HTTP.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A multipart/form-data body built part by part, as curl and browsers send it. */
    public static final class Multipart {
        private final String boundary =
                "----pomf" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        private final List<byte[]> parts = new ArrayList<>();

        public Multipart file(String field, String filename, byte[] content) {
            String quoted = filename.replace("\"", "%22");
            return part(
                    "Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + quoted + "\"\r\n"
                            + "Content-Type: application/octet-stream\r\n",
                    content);
        }

        public Multipart file(String filename, byte[] content) {
            return file("files[]", filename, content);
        }

        public Multipart field(String name, String value) {
            return part(
                    "Content-Disposition: form-data; name=\"" + name + "\"\r\n",
                    value.getBytes(StandardCharsets.UTF_8));
        }

        public Multipart part(String headers, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            parts.add(out.toByteArray());
            return this;
        }

        public String boundary() {
            return boundary;
        }

        public String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        public byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            parts.forEach(out::writeBytes);
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }

        /** A whole HTTP/1.1 request carrying this body, for raw-socket tests. */
        public byte[] request(String path) {
            byte[] body = bytes();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType()
                            + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body);
            return out.toByteArray();
        }
    }
}
