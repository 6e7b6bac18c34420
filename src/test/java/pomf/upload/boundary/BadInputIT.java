package pomf.upload.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static pomf.it.clients.PomfClient.get;
import static pomf.it.clients.PomfClient.getText;
import static pomf.it.clients.PomfClient.json;
import static pomf.it.clients.PomfClient.random;
import static pomf.it.clients.PomfClient.raw;
import static pomf.it.clients.PomfClient.upload;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.clients.PomfClient;
import pomf.it.clients.PomfClient.Multipart;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.ServerLog;
import pomf.it.deployments.Storage;

/** Malformed requests get a clear error in the client's format, keep nothing, and leave the server unharmed. */
@ExtendWith(ArquillianExtension.class)
class BadInputIT {
    static final Path STORAGE = Deployments.newStorage();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.origin(STORAGE);
    }

    @AfterEach
    void nothingIsLeftBehindAndTheServerStillWorks() {
        assertThat(Storage.temporaryFiles(STORAGE)).isEmpty();
        HttpResponse<String> answer = upload(new Multipart().file("ok.bin", random(10)));
        assertThat(answer.statusCode())
                .as(() -> "an upload after the test answered " + answer.body() + ServerLog.recentProblems())
                .isEqualTo(200);
    }

    @Test
    void aMultipartTypeWithoutBoundaryIs400() {
        HttpResponse<String> response = post("multipart/form-data", "--x\r\n\r\n".getBytes());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).getString("description")).isEqualTo("The multipart boundary is missing or invalid.");
    }

    @Test
    void aBodyThatIsNotMultipartHasNoInputFiles() {
        HttpResponse<String> response = post("application/x-www-form-urlencoded", "files=abc".getBytes());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .isEqualTo("{\"success\":false,\"errorcode\":400,\"description\":\"No input file(s)\"}");
    }

    @Test
    void aTruncatedBodyIs400AndKeepsNothing() {
        Multipart body = new Multipart().file("cut.bin", random(50_000));
        byte[] whole = body.bytes();
        byte[] truncated = Arrays.copyOf(whole, whole.length - 30);
        HttpResponse<String> response = post(body.contentType(), truncated);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).getString("description")).contains("truncated");
    }

    @Test
    void aWrongBoundaryIs400() {
        Multipart body = new Multipart().file("a.bin", random(1000));
        HttpResponse<String> response = post("multipart/form-data; boundary=not-the-one", body.bytes());
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void aBodyWhoseLastBytesArriveOnTheirOwnIsReadToTheEnd() throws Exception {
        // The last piece arriving while the upload waits for data makes the container call "all data read" with
        // bytes still unread: they must be read, not asked for again (that threw, and the upload got a 500).
        byte[] content = random(3000);
        Multipart good = new Multipart().file("late.bin", content);
        String answer = inPieces(good.contentType(), good.bytes());
        assertThat(answer).startsWith("HTTP/1.1 200 ").contains("\"size\":3000");
        String wrong = inPieces("multipart/form-data; boundary=not-the-one", good.bytes());
        assertThat(wrong).startsWith("HTTP/1.1 400 ").contains("truncated");
    }

    @Test
    void anUploadThatAsksToSwitchToH2cIsAnsweredOverHttp11() throws Exception {
        // Java's HttpClient asks for h2c on every new plain connection, POST included (curl --http2 does too). The
        // container switched, and the upload, read asynchronously, never got an answer: the connection was closed.
        // Not switching, the container announced no end of the body (a switching request's body has none for
        // it), and a truncated upload waited for the idle timeout instead of being refused.
        Multipart body = new Multipart().file("h2c.bin", random(50_000));
        byte[] whole = body.bytes();
        byte[] truncated = Arrays.copyOf(whole, whole.length - 30);
        for (int i = 0; i < 3; i++) {
            assertThat(askingForH2c(body.contentType(), whole))
                    .as("attempt " + i)
                    .isEqualTo("HTTP/1.1 200");
            assertThat(askingForH2c(body.contentType(), truncated))
                    .as("attempt " + i)
                    .isEqualTo("HTTP/1.1 400");
        }
        HttpClient h2cAsking = HttpClient.newHttpClient();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = h2cAsking.send(
                    HttpRequest.newBuilder(PomfClient.uri("/upload.php"))
                            .header("Content-Type", body.contentType())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(whole))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    /** Sends an upload with the headers of a client asking to switch to h2c; returns the answer's status line. */
    private static String askingForH2c(String contentType, byte[] body) throws IOException {
        byte[] head = ("POST /upload.php HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                        + "Upgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n"
                        + "Content-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", PomfClient.PORT)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            return new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        }
    }

    /** Sends the head, then the body in three pieces 100 ms apart, on one connection; returns the whole answer. */
    private static String inPieces(String contentType, byte[] body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", PomfClient.PORT)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload.php HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: "
                            + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int third = body.length / 3;
            for (int[] piece : new int[][] {{0, third}, {third, 2 * third}, {2 * third, body.length}}) {
                Thread.sleep(100);
                out.write(body, piece[0], piece[1] - piece[0]);
                out.flush();
            }
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aFilePartWithoutAFileNameIsNotAFile() {
        HttpResponse<String> response =
                upload(new Multipart().part("Content-Disposition: form-data; name=\"files[]\"\r\n", random(100)));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).getString("description")).isEqualTo("No input file(s)");
    }

    @Test
    void hugePartHeadersAre400() {
        HttpResponse<String> response = upload(new Multipart()
                .part(
                        "Content-Disposition: form-data; name=\"files[]\"; " + "filename=\"a.bin\"\r\nX-Padding: "
                                + "p".repeat(20_000) + "\r\n",
                        random(10)));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).getString("description")).isEqualTo("Part headers are too large.");
    }

    @Test
    void aHugeHttpHeaderIsRefusedByTheServer() {
        String answer = raw(("POST /upload.php HTTP/1.1\r\nHost: x\r\nCookie: " + "c".repeat(100_000)
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(answer).matches("(?s)HTTP/1\\.1 4\\d\\d .*|");
        assertThat(answer).doesNotContain("Exception", "at org.", "at java.");
    }

    @Test
    void unknownOutputIs400InJson() {
        HttpResponse<String> response = upload("?output=xml", new Multipart().file("a.bin", random(10)));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
        assertThat(json(response).getString("description"))
                .isEqualTo("Invalid response type. Valid options are: csv, gyazo, html, json, text.");
    }

    @Test
    void aGetOnTheUploadUrlIs400InEachFormat() {
        assertThat(getText("/upload.php").body())
                .isEqualTo("{\"success\":false,\"errorcode\":400,\"description\":\"No input file(s)\"}");
        assertThat(getText("/upload.php?output=text").body()).isEqualTo("ERROR: (400) No input file(s)");
        assertThat(getText("/upload?output=gyazo").body()).isEqualTo("ERROR: (400) No input file(s)");
        assertThat(getText("/upload.php?output=csv").body()).isEqualTo("\"error\"\r\n\"No input file(s)\"\r\n");
        assertThat(getText("/upload.php?output=html").body()).isEqualTo("<p>ERROR: (400) No input file(s)</p>");
        assertThat(getText("/upload.php").statusCode()).isEqualTo(400);
    }

    @Test
    void hostileNamesAreDataEscapedInEveryFormatAndNeverAPath() throws Exception {
        List<String> names = List.of(
                "../../../etc/passwd",
                "nul\u0000byte.txt",
                "ctrl\u0001\u001b[31m\r\nX-Evil: 1.txt",
                "x".repeat(10_000) + ".txt",
                "<script>alert('x')</script>\".png",
                "a\"b'c<d>&e.txt");
        for (String name : names) {
            byte[] content = random(64);
            JsonObject file = json(upload(new Multipart().file(name, content)))
                    .getJsonArray("files")
                    .getJsonObject(0);
            String returned = file.getString("name");
            assertThat(returned).doesNotContainPattern("[\\x00-\\x1f]").hasSizeLessThanOrEqualTo(255);
            assertThat(file.getString("url")).matches("http://[^/]+/f/[A-Za-z0-9]{8}(\\.[a-z]{3})?");
            assertThat(get(PomfClient.path(file.getString("url"))).body()).isEqualTo(content);

            String html =
                    upload("?output=html", new Multipart().file(name, content)).body();
            assertThat(html).doesNotContain("<script", "\"b'").startsWith("<a href=\"http://");
            String csv =
                    upload("?output=csv", new Multipart().file(name, content)).body();
            assertThat(csv.split("\r\n")).hasSize(2);
            String text =
                    upload("?output=text", new Multipart().file(name, content)).body();
            assertThat(text).matches("http://\\S+\n");
        }
        try (Stream<Path> everything = Files.walk(STORAGE)) {
            assertThat(everything.map(p -> p.getFileName().toString()))
                    .allMatch(
                            n -> n.matches("[0-9a-f]{2}|[0-9a-f]{64}|blobs|tmp|pomf-it-storage\\d+"),
                            "only hashes on disk");
        }
    }

    private static HttpResponse<String> post(String contentType, byte[] body) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(PomfClient.uri("/upload.php"))
                                    .header("Content-Type", contentType)
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
