package pomf.edge.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker must be able to fail: forged answers, written byte for byte by a fake server and read by the chaos
 * client, are judged as the chaos run would judge them.
 */
class AnswerCheckTest {
    static final String PATH = "/f/k1s5000.bin";
    static final Instant MODIFIED = Instant.parse("2024-05-01T10:00:00Z");
    static final String HTTP_DATE = "Wed, 01 May 2024 10:00:00 GMT";
    static final String ERROR_PAGE = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error"
            + "</title><link rel=\"stylesheet\" href=\"/static/pomf.css\"></head>\n<body><main><h1>Something went "
            + "wrong</h1><p>The request could not be completed. <a href=\"/\">Back to the upload page</a>.</p></main>"
            + "</body></html>\n";

    final OriginLedger ledger = new OriginLedger();
    final AnswerCheck check = new AnswerCheck(ledger, ERROR_PAGE.getBytes(StandardCharsets.UTF_8));
    Version v1;
    Version v2;
    ServerSocket server;

    @BeforeEach
    void versions() throws IOException {
        long minuteAgo = System.nanoTime() - 60_000_000_000L;
        v1 = serve(new Version(PATH, "\"v1-1\"", MODIFIED, 5000, 11, "application/octet-stream", minuteAgo));
        v2 = serve(new Version(PATH, "\"v2-1\"", MODIFIED, 5000, 22, "application/octet-stream", minuteAgo + 1));
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    @Test
    void theRightBytesOfTheLatestVersionAreRight() throws Exception {
        Judged judged = judge(ChaosRequest.whole("whole", PATH), head(200, v2, 5000, ""), v2.bytes(0, 5000));
        assertThat(judged.verdict.kind()).isEqualTo(Verdict.Kind.OK);
        assertThat(judged.verdict.olderVersion()).isFalse();
    }

    @Test
    void anOlderVersionWithItsOwnBytesIsRightAndCountedAsOlder() throws Exception {
        Judged judged = judge(ChaosRequest.whole("whole", PATH), head(200, v1, 5000, ""), v1.bytes(0, 5000));
        assertThat(judged.verdict.kind()).isEqualTo(Verdict.Kind.OK);
        assertThat(judged.verdict.olderVersion()).isTrue();
    }

    @Test
    void oneWrongByteIsAWrongBodyWithItsOffset() throws Exception {
        byte[] body = v2.bytes(0, 5000);
        body[1234] ^= 1;
        Judged judged = judge(ChaosRequest.whole("whole", PATH), head(200, v2, 5000, ""), body);
        assertThat(judged.verdict.kind()).isEqualTo(Verdict.Kind.WRONG);
        assertThat(judged.verdict.reason()).contains("body offset 1234");
    }

    @Test
    void theBytesOfAnotherVersionUnderThisETagAreWrong() throws Exception {
        Judged judged = judge(ChaosRequest.whole("whole", PATH), head(200, v1, 5000, ""), v2.bytes(0, 5000));
        assertThat(judged.verdict.kind()).isEqualTo(Verdict.Kind.WRONG);
    }

    @Test
    void a200CutBeforeItsContentLengthIsACutConnection() throws Exception {
        Judged judged = judge(ChaosRequest.whole("whole", PATH), head(200, v2, 5000, ""), v2.bytes(0, 2500));
        assertThat(judged.verdict.kind()).isEqualTo(Verdict.Kind.CUT);
        assertThat(judged.answer.received()).isEqualTo(2500);
    }

    @Test
    void aShort200WithoutContentLengthIsWrongNeverCut() throws Exception {
        String head = head(200, v2, 5000, "").replace("Content-Length: 5000\r\n", "");
        Judged judged = judge(ChaosRequest.whole("whole", PATH), head, v2.bytes(0, 2500));
        assertThat(judged.answer.framing()).isEqualTo(WireAnswer.Framing.CLOSE);
        assertThat(judged.verdict.kind()).isEqualTo(Verdict.Kind.WRONG);
        assertThat(judged.verdict.reason()).contains("2500 bytes presented as a whole answer");
    }

    @Test
    void aShort200WhoseContentLengthAdmitsItIsWrong() throws Exception {
        Judged judged = judge(ChaosRequest.whole("whole", PATH), head(200, v2, 2500, ""), v2.bytes(0, 2500));
        assertThat(judged.verdict.kind()).isEqualTo(Verdict.Kind.WRONG);
        assertThat(judged.verdict.reason()).contains("Content-Length 2500, expected 5000");
    }

    @Test
    void theErrorPageServedAsA206IsAnErrorPagePosingAsContent() throws Exception {
        String head = "HTTP/1.1 206 Partial Content\r\nContent-Type: text/html\r\nContent-Range: bytes 0-280/281\r\n"
                + "Content-Length: 281\r\n\r\n";
        Judged judged = judge(
                ChaosRequest.range("range", PATH, Span.closed(0, 999)),
                head,
                ERROR_PAGE.getBytes(StandardCharsets.UTF_8));
        assertThat(judged.verdict.kind()).isEqualTo(Verdict.Kind.ERROR_PAGE);
    }

    @Test
    void theErrorPageSplicedIntoA200AfterItsFirstChunkIsCaught() throws Exception {
        // As the first chaos run saw it: chunk 0 right, then the error page where chunk 1 should be.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(v2.bytes(0, 1000));
        body.write(ERROR_PAGE.getBytes(StandardCharsets.UTF_8));
        Judged spliced = judge(ChaosRequest.whole("whole", PATH), head(200, v2, 5000, ""), body.toByteArray());
        assertThat(spliced.verdict.kind()).isEqualTo(Verdict.Kind.ERROR_PAGE);
        assertThat(spliced.verdict.reason()).contains("body offset 1000");
        // and its leftovers read as the next answer on the connection
        Judged leftovers = judge(ChaosRequest.whole("whole", PATH), "!DOCTYPE html>\r\n", new byte[0]);
        assertThat(leftovers.verdict.kind()).isEqualTo(Verdict.Kind.ERROR_PAGE);
        // a 416 measured against the error page (its Range applied to error.html)
        Judged unsatisfiable = judge(
                ChaosRequest.range("seek", PATH, Span.closed(3000, 3999)),
                "HTTP/1.1 416 X\r\nContent-Range: bytes 3000-3999/5000\r\nContent-Range: bytes */281\r\n"
                        + "Content-Length: 0\r\n\r\n",
                new byte[0]);
        assertThat(unsatisfiable.verdict.kind()).isEqualTo(Verdict.Kind.ERROR_PAGE);
    }

    @Test
    void aWrongBodyThatNeverEndsIsJudgedWithinSecondsNotAfterTheReadTimeout() throws Exception {
        // The edge writes the error page into a response that promised more, and keeps the connection open.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(v2.bytes(0, 1000));
        body.write(ERROR_PAGE.getBytes(StandardCharsets.UTF_8));
        Judged judged = judge(ChaosRequest.whole("whole", PATH), head(200, v2, 5000, ""), body.toByteArray(), 4000);
        assertThat(judged.verdict.kind()).isEqualTo(Verdict.Kind.ERROR_PAGE);
        assertThat(judged.answer.ending()).isEqualTo(WireAnswer.Ending.TIMEOUT);
        assertThat((judged.answer.endNanos() - judged.answer.sentNanos()) / 1_000_000)
                .as("waited after the first wrong byte (the client's read timeout is 5 s)")
                .isLessThan(3000);
    }

    @Test
    void aWrongRangeOrA206NobodyAskedForIsWrong() throws Exception {
        Judged shifted = judge(
                ChaosRequest.range("range", PATH, Span.closed(100, 199)),
                head(206, v2, 100, "Content-Range: bytes 101-200/5000\r\n"),
                v2.bytes(101, 100));
        assertThat(shifted.verdict.kind()).isEqualTo(Verdict.Kind.WRONG);
        assertThat(shifted.verdict.reason()).contains("expected bytes 100-199/5000");
        Judged unasked = judge(
                ChaosRequest.whole("whole", PATH),
                head(206, v2, 100, "Content-Range: bytes 100-199/5000\r\n"),
                v2.bytes(100, 100));
        assertThat(unasked.verdict.kind()).isEqualTo(Verdict.Kind.WRONG);
    }

    @Test
    void a206OfAnotherVersionThanIfRangeNamedIsWrong() throws Exception {
        Judged judged = judge(
                ChaosRequest.range("if-range", PATH, Span.closed(100, 199)).ifRange(v1.etag()),
                head(206, v2, 100, "Content-Range: bytes 100-199/5000\r\n"),
                v2.bytes(100, 100));
        assertThat(judged.verdict.kind()).isEqualTo(Verdict.Kind.WRONG);
    }

    @Test
    void aRightRangeFromASuffixIsRight() throws Exception {
        Judged judged = judge(
                ChaosRequest.range("suffix", PATH, Span.suffix(10)),
                head(206, v2, 10, "Content-Range: bytes 4990-4999/5000\r\n"),
                v2.bytes(4990, 10));
        assertThat(judged.verdict.kind()).isEqualTo(Verdict.Kind.OK);
    }

    @Test
    void chunkedBodiesAreRightWhenWholeAndCutWithoutTheirLastChunk() throws Exception {
        String head = head(200, v2, 5000, "Transfer-Encoding: chunked\r\n").replace("Content-Length: 5000\r\n", "");
        byte[] bytes = v2.bytes(0, 5000);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.write("1388\r\n".getBytes(StandardCharsets.US_ASCII));
        whole.write(bytes);
        whole.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(judge(ChaosRequest.whole("whole", PATH), head, whole.toByteArray())
                        .verdict
                        .kind())
                .isEqualTo(Verdict.Kind.OK);
        byte[] cut = java.util.Arrays.copyOf(whole.toByteArray(), 3000);
        assertThat(judge(ChaosRequest.whole("whole", PATH), head, cut).verdict.kind())
                .isEqualTo(Verdict.Kind.CUT);
    }

    @Test
    void a404IsRightOnlyWhenTheObjectWasGoneSometimeDuringTheRequest() throws Exception {
        String notFound = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        assertThat(judge(ChaosRequest.whole("whole", PATH), notFound, new byte[0])
                        .verdict
                        .kind())
                .isEqualTo(Verdict.Kind.NOT_FOUND_EXISTING);
        ledger.change(() -> {
            ledger.removed(PATH);
            return null;
        });
        assertThat(judge(ChaosRequest.whole("whole", PATH), notFound, new byte[0])
                        .verdict
                        .kind())
                .isEqualTo(Verdict.Kind.OK);
    }

    @Test
    void a404FromAFetchThatStartedWhileTheObjectWasGoneIsRight() throws Exception {
        String path = "/f/k9s10.bin";
        serve(new Version(
                path, "\"v1-9\"", MODIFIED, 10, 9, "application/octet-stream", System.nanoTime() - 60_000_000_000L));
        ledger.change(() -> {
            ledger.removed(path);
            return null;
        });
        serve(new Version(path, "\"v1-10\"", MODIFIED, 10, 10, "application/octet-stream", System.nanoTime()));
        // Asked after the re-addition, answered from a miss the edge sent while the object was gone.
        String notFound = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        assertThat(judge(ChaosRequest.whole("whole", path), notFound, new byte[0])
                        .verdict
                        .kind())
                .isEqualTo(Verdict.Kind.OK);
    }

    @Test
    void a304MustNameAVersionTheRequestNamed() throws Exception {
        String notModified = "HTTP/1.1 304 Not Modified\r\nETag: " + v1.etag() + "\r\n\r\n";
        ChaosRequest current = ChaosRequest.whole("if-none-match", PATH).ifNoneMatch(List.of(v2.etag()));
        assertThat(judge(current, notModified, new byte[0]).verdict.kind()).isEqualTo(Verdict.Kind.WRONG);
        ChaosRequest old = ChaosRequest.whole("if-none-match", PATH).ifNoneMatch(List.of(v1.etag()));
        assertThat(judge(old, notModified, new byte[0]).verdict.kind()).isEqualTo(Verdict.Kind.OK);
    }

    @Test
    void errorsAndRefusalsAreCountedApart() throws Exception {
        String unavailable = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n\r\n";
        assertThat(judge(ChaosRequest.whole("whole", PATH), unavailable, "down\n".getBytes(StandardCharsets.US_ASCII))
                        .verdict
                        .kind())
                .isEqualTo(Verdict.Kind.STATUS_5XX);
        int port = server.getLocalPort();
        server.close();
        try (WireClient client = new WireClient("127.0.0.1", port, 1000, 2000)) {
            BodyMatch[] body = {BodyMatch.unchecked()};
            ChaosRequest request = ChaosRequest.whole("whole", PATH);
            WireAnswer answer = client.exchange(request, (s, h) -> body[0] = check.expect(request, s, h));
            assertThat(check.judge(request, answer, body[0]).kind()).isEqualTo(Verdict.Kind.REFUSED);
        }
    }

    @Test
    void everyFailureIsWrittenWithItsDetails(@TempDir Path folder) throws Exception {
        byte[] body = v2.bytes(0, 5000);
        body[4321] ^= 1;
        ChaosRequest request = ChaosRequest.whole("whole", PATH);
        Judged judged = judge(request, head(200, v2, 5000, "X-Cache-Status: HIT\r\n"), body);
        ChaosTally tally = new ChaosTally(
                folder.resolve("problems.txt"),
                new EventLog(folder.resolve("events.txt"), new java.io.PrintStream(OutputStream.nullOutputStream())),
                42);
        tally.record(
                new Situation.Label("phase", "calm", "ready"), request, judged.answer, judged.body, judged.verdict);
        assertThat(tally.count(Verdict.Kind.WRONG)).isEqualTo(1);
        assertThat(tally.table()).contains("WRONG");
        assertThat(Files.readString(folder.resolve("problems.txt")))
                .contains("seed 42", "body offset 4321", "x-cache-status=HIT", PATH);
    }

    record Judged(WireAnswer answer, BodyMatch body, Verdict verdict) {}

    private Version serve(Version version) {
        return ledger.change(() -> {
            ledger.served(version);
            return version;
        });
    }

    private static String head(int status, Version version, long length, String more) {
        return "HTTP/1.1 " + status + " X\r\nContent-Type: application/octet-stream\r\nETag: " + version.etag()
                + "\r\nLast-Modified: " + HTTP_DATE + "\r\nContent-Length: " + length + "\r\n" + more + "\r\n";
    }

    /** The fake server answers one request with exactly these bytes, then closes the connection. */
    private Judged judge(ChaosRequest request, String head, byte[] body) throws Exception {
        return judge(request, head, body, 0);
    }

    /** ... keeping the connection open {@code holdMillis} after the bytes (a response that never ends). */
    private Judged judge(ChaosRequest request, String head, byte[] body, long holdMillis) throws Exception {
        CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                int matched = 0;
                while (matched < 4) {
                    int b = in.read();
                    matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
                }
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                Thread.sleep(holdMillis);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (WireClient client = new WireClient("127.0.0.1", server.getLocalPort(), 1000, 5000)) {
            BodyMatch[] match = {BodyMatch.unchecked()};
            WireAnswer answer = client.exchange(request, (s, h) -> match[0] = check.expect(request, s, h));
            served.join();
            return new Judged(answer, match[0], check.judge(request, answer, match[0]));
        }
    }
}
