package pomf.upload.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pomf.it.clients.PomfClient.get;
import static pomf.it.clients.PomfClient.getText;
import static pomf.it.clients.PomfClient.json;
import static pomf.it.clients.PomfClient.path;
import static pomf.it.clients.PomfClient.random;
import static pomf.it.clients.PomfClient.sha256;
import static pomf.it.clients.PomfClient.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.clients.PomfClient;
import pomf.it.clients.PomfClient.Multipart;
import pomf.it.deployments.Database;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.Storage;

/** Failures around an upload: the client, the disk, the database. Each fails cleanly and keeps nothing. */
@ExtendWith(ArquillianExtension.class)
class FaultsIT {
    static final Path STORAGE = Deployments.newStorage();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.origin(STORAGE, Map.of("pomf.upload.max-size", Long.toString(3L << 30)));
    }

    @Test
    void aClientThatDisconnectsMidUploadLeavesNothing() throws Exception {
        Multipart body = new Multipart().file("cut.bin", random(4 << 20));
        byte[] request = body.request("/upload.php");
        long storedBefore = Database.count("select count(*) from stored_file");
        try (Socket socket = new Socket("127.0.0.1", PomfClient.PORT)) {
            OutputStream out = socket.getOutputStream();
            out.write(request, 0, request.length / 2);
            out.flush();
            Thread.sleep(300);
        }
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(Storage.temporaryFiles(STORAGE)).isEmpty());
        assertThat(Database.count("select count(*) from stored_file")).isEqualTo(storedBefore);
        assertThat(upload(new Multipart().file("after.bin", random(100))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsSent() throws Exception {
        Multipart body = new Multipart().file("big.bin", random(2 << 20));
        byte[] bytes = body.bytes();
        try (Socket socket = new Socket("127.0.0.1", PomfClient.PORT)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload.php?output=text HTTP/1.1\r\nHost: x\r\nContent-Type: " + body.contentType()
                            + "\r\nContent-Length: " + bytes.length + "\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            String interim = readLine(in);
            assertThat(interim).startsWith("HTTP/1.1 100");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("no client-side stall")
                    .isLessThan(Duration.ofMillis(900));
            readLine(in);
            out.write(bytes);
            out.flush();
            assertThat(readLine(in)).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aFullDiskFailsTheUploadWith507AndKeepsNothing() throws Exception {
        Path tmp = STORAGE.resolve("tmp");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "pomf-full", tmp.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a small tmpfs as a full disk: " + output);
        try {
            byte[] content = random(3 << 20);
            String answer = PomfClient.rawWhileSending(
                    new Multipart().file("huge.bin", content).request("/upload.php?output=text"));
            assertThat(answer)
                    .startsWith("HTTP/1.1 507")
                    .endsWith("\r\n\r\nERROR: (507) The server is out of storage space.");
            assertThat(Storage.temporaryFiles(STORAGE)).isEmpty();
            assertThat(Storage.blobs(STORAGE, sha256(content))).isEmpty();
        } finally {
            new ProcessBuilder("umount", tmp.toString()).inheritIO().start().waitFor();
        }
        assertThat(upload(new Multipart().file("after.bin", random(100))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void withTheDatabaseGoneUploadsFailWith5xxInTheClientsFormatAndRecover() throws Exception {
        byte[] content = random(10_000);
        long rows = Database.count("select count(*) from stored_file");
        Database.cutOff();
        try {
            HttpResponse<String> json = upload(new Multipart().file("a.bin", content));
            assertThat(json.statusCode()).isEqualTo(503);
            assertThat(json(json).getBoolean("success")).isFalse();
            assertThat(json.headers().firstValue("Retry-After")).isPresent();
            HttpResponse<String> text = upload("?output=text", new Multipart().file("a.bin", content));
            assertThat(text.body()).startsWith("ERROR: (503) ");
            assertThat(getText("/health/ready").statusCode()).isEqualTo(503);
        } finally {
            Database.reopen();
        }
        assertThat(Storage.temporaryFiles(STORAGE)).isEmpty();
        assertThat(Storage.blobs(STORAGE, sha256(content))).isEmpty();
        assertThat(Database.count("select count(*) from stored_file")).isEqualTo(rows);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        upload(new Multipart().file("a.bin", content)).statusCode())
                .isEqualTo(200));
        assertThat(getText("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void aTwoGibUploadStreamsThroughASmallHeap() throws Exception {
        long size = 2L << 30;
        String boundary = "pomfbig";
        byte[] head = ("--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"big.bin\"\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        HttpRequest request = HttpRequest.newBuilder(PomfClient.uri("/upload.php"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedBody(head, size, tail, sha1)),
                        head.length + size + tail.length))
                .timeout(Duration.ofMinutes(5))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var file = json(response).getJsonArray("files").getJsonObject(0);
        assertThat(file.getJsonNumber("size").longValue()).isEqualTo(size);
        assertThat(file.getString("hash")).isEqualTo(HexFormat.of().formatHex(sha1.digest()));
        HttpResponse<byte[]> tailRange = get(path(file.getString("url")), "Range", "bytes=-16");
        assertThat(tailRange.statusCode()).isEqualTo(206);
        assertThat(PomfClient.post(path(file.getString("delete_url")), "").statusCode())
                .isEqualTo(200);
    }

    /** A large body made on the fly (a counter pattern), hashed as it is sent: no file, no big array. */
    static final class GeneratedBody extends InputStream {
        private final byte[] head;
        private final byte[] tail;
        private final long size;
        private final MessageDigest digest;
        private long position;

        GeneratedBody(byte[] head, long size, byte[] tail, MessageDigest digest) {
            this.head = head;
            this.size = size;
            this.tail = tail;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long total = head.length + size + tail.length;
            if (position >= total) {
                return -1;
            }
            int n = (int) Math.min(len, total - position);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                if (p < head.length) {
                    b[off + i] = head[(int) p];
                } else if (p < head.length + size) {
                    long q = p - head.length;
                    b[off + i] = (byte) ((q >>> 12) ^ q);
                    digest.update(b[off + i]);
                } else {
                    b[off + i] = tail[(int) (p - head.length - size)];
                }
            }
            position += n;
            return n;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
