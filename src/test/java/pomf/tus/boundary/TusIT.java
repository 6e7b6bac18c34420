package pomf.tus.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static pomf.it.clients.PomfClient.get;
import static pomf.it.clients.PomfClient.json;
import static pomf.it.clients.PomfClient.path;
import static pomf.it.clients.PomfClient.random;
import static pomf.it.clients.PomfClient.sha1;
import static pomf.it.clients.PomfClient.sha256;
import static pomf.it.clients.PomfClient.upload;
import static pomf.it.clients.PomfClient.uri;

import io.tus.java.client.TusClient;
import io.tus.java.client.TusUploader;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import pomf.it.clients.Browser;
import pomf.it.clients.PomfClient.Multipart;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.PayaraProcess;
import pomf.it.deployments.Storage;

/**
 * Resumable uploads (tus 1.0) as an independent client uses them (tus-java-client), and as a client that misbehaves
 * does (raw requests): chunks, resumes after a dropped request, checksums, termination, caps, expiry, and a file
 * that ends up refused or a duplicate.
 */
@ExtendWith(ArquillianExtension.class)
class TusIT {
    static final Path STORAGE = Deployments.newStorage();
    static final int MAX_SIZE = 256 * 1024 * 1024;
    /** The upload page's chunk here, as in production: under Cloudflare's 100 MB body cap. */
    static final int PAGE_CHUNK = 50 * 1024 * 1024;

    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.origin(
                STORAGE,
                Map.of(
                        "pomf.upload.max-size", Integer.toString(MAX_SIZE),
                        "pomf.tus.max-unfinished", "3",
                        "pomf.upload.idle-timeout", "15",
                        "pomf.tus.resume-for", "25s",
                        "pomf.upload.page.resumable-above", "1048576",
                        "pomf.upload.page.chunk", Integer.toString(PAGE_CHUNK),
                        "pomf.storage.janitor-interval", "1"));
    }

    @Test
    void optionsAdvertiseTheProtocolItsExtensionsAndTheSizeLimit() throws Exception {
        HttpResponse<String> options = send("OPTIONS", "/api/v1/tus/", null, Map.of());
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("Tus-Version")).hasValue("1.0.0");
        assertThat(options.headers().firstValue("Tus-Extension"))
                .hasValue("creation,creation-with-upload,termination,checksum,expiration");
        assertThat(options.headers().firstValue("Tus-Max-Size")).hasValue(Integer.toString(MAX_SIZE));
        assertThat(options.headers().firstValue("Tus-Checksum-Algorithm")).hasValue("sha1,sha256");
    }

    @Test
    void aFileSentInChunksByATusClientIsPublishedAsAPomfUploadIs() throws Exception {
        byte[] content = random(5 * 1024 * 1024 + 17);
        Capturing client = new Capturing();
        io.tus.java.client.TusUpload upload = tusUpload(content, "holiday.mp4");
        TusUploader uploader = client.createUpload(upload);
        uploader.setChunkSize(256 * 1024);
        uploader.setRequestPayloadSize(1024 * 1024);
        int chunks = 0;
        while (uploader.uploadChunk() > -1) {
            chunks++;
        }
        uploader.finish();
        HttpURLConnection last = client.last();
        assertThat(last.getResponseCode()).isEqualTo(200);
        String fileUrl = last.getHeaderField("X-File-Url");
        assertThat(fileUrl).matches("http://127\\.0\\.0\\.1:\\d+/f/[A-Za-z0-9]{8}\\.mp4");
        // (the client has read and closed the final answer; its Pomf JSON is checked on raw requests below)
        assertThat(get(path(fileUrl)).body()).isEqualTo(content);
        assertThat(Storage.blobs(STORAGE, sha256(content))).hasSize(1);
        assertThat(send("HEAD", path(uploader.getUploadURL().toString()), null, tus())
                        .statusCode())
                .as("a finished upload is over")
                .isEqualTo(404);
        String id = uploader.getUploadURL().toString().replaceFirst(".*/", "");
        assertThat(leftovers()).noneMatch(p -> p.getFileName().toString().startsWith(id));
        assertThat(chunks).isEqualTo(21);
    }

    @Test
    void aClientCutMidRequestResumesFromTheLastStoredByte() throws Exception {
        byte[] content = random(3 * 1024 * 1024);
        String location = create(content.length, "cut.bin");
        // A PATCH announcing the whole file, of which 1 MiB is sent before the connection drops.
        try (Socket socket = new Socket("127.0.0.1", uri("/").getPort())) {
            OutputStream out = socket.getOutputStream();
            patchHead(out, location, 0, content.length);
            out.write(content, 0, 1024 * 1024);
            out.flush();
            Thread.sleep(500);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> offset(location) == 1024 * 1024);
        // The client resumes from the server's offset (HEAD), as tus clients do.
        Capturing client = new Capturing();
        TusUploader uploader = client.beginOrResumeUploadFromURL(tusUpload(content, "cut.bin"), new URL(location));
        assertThat(uploader.getOffset()).isEqualTo(1024 * 1024);
        while (uploader.uploadChunk() > -1) {
            // on to the end
        }
        uploader.finish();
        assertThat(client.last().getResponseCode()).isEqualTo(200);
        assertThat(get(path(client.last().getHeaderField("X-File-Url"))).body()).isEqualTo(content);
    }

    @Test
    void aWrongOffsetIs409AndAChecksumMismatchDropsTheBytesOfItsRequest() throws Exception {
        byte[] content = random(3000);
        String location = create(content.length, "sums.bin");
        HttpResponse<String> wrong = patch(location, 5, slice(content, 0, 1000), null);
        assertThat(wrong.statusCode()).isEqualTo(409);
        assertThat(wrong.headers().firstValue("Upload-Offset")).hasValue("0");
        HttpResponse<String> mismatch =
                patch(location, 0, slice(content, 0, 1000), "sha256 " + b64(digest("SHA-256", random(10))));
        assertThat(mismatch.statusCode()).isEqualTo(460);
        assertThat(mismatch.body()).contains("Checksum mismatch");
        assertThat(offset(location)).isZero();
        HttpResponse<String> right =
                patch(location, 0, slice(content, 0, 1000), "sha1 " + b64(digest("SHA-1", slice(content, 0, 1000))));
        assertThat(right.statusCode()).isEqualTo(204);
        assertThat(right.headers().firstValue("Upload-Offset")).hasValue("1000");
        assertThat(right.headers().firstValue("Upload-Expires")).isPresent();
        assertThat(patch(location, 1000, slice(content, 1000, 2000), "md5 AAAA").statusCode())
                .as("an algorithm not offered")
                .isEqualTo(400);
        assertThat(patch(location, 1000, random(2001), null).statusCode())
                .as("past the declared length")
                .isEqualTo(413);
        assertThat(offset(location)).isEqualTo(1000);
        HttpResponse<String> last = patch(location, 1000, slice(content, 1000, 2000), null);
        assertThat(last.statusCode()).isEqualTo(200);
        assertThat(json(last).getJsonArray("files").getJsonObject(0).getString("hash"))
                .isEqualTo(sha1(content));
    }

    @Test
    void terminationRemovesTheUploadAndItsBytes() throws Exception {
        String location = create(10_000, "gone.bin");
        assertThat(patch(location, 0, random(4000), null).statusCode()).isEqualTo(204);
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertThat(Files.exists(STORAGE.resolve("tus").resolve(id + ".bin"))).isTrue();
        assertThat(send("DELETE", path(location), null, tus()).statusCode()).isEqualTo(204);
        assertThat(send("HEAD", path(location), null, tus()).statusCode()).isEqualTo(404);
        assertThat(patch(location, 4000, random(10), null).statusCode()).isEqualTo(404);
        assertThat(STORAGE.resolve("tus").resolve(id + ".bin")).doesNotExist();
        assertThat(STORAGE.resolve("tus").resolve(id + ".info")).doesNotExist();
    }

    @Test
    void malformedAndRefusedRequestsGetTheirStatusAndKeepNothing() throws Exception {
        int before = leftovers().size();
        assertThat(send("POST", "/api/v1/tus/", null, Map.of("Upload-Length", "10"))
                        .statusCode())
                .as("no Tus-Resumable")
                .isEqualTo(412);
        assertThat(send("POST", "/api/v1/tus/", null, tus()).statusCode())
                .as("no Upload-Length")
                .isEqualTo(400);
        assertThat(send("POST", "/api/v1/tus/", null, tus("Upload-Length", "-1"))
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> big = send("POST", "/api/v1/tus/", null, tus("Upload-Length", "" + (MAX_SIZE + 1)));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).contains("File too large");
        assertThat(send(
                                "POST",
                                "/api/v1/tus/",
                                null,
                                tus(
                                        "Upload-Length",
                                        "10",
                                        "Upload-Metadata",
                                        "filename " + b64("setup.exe".getBytes(StandardCharsets.UTF_8))))
                        .statusCode())
                .as("a blocked extension")
                .isEqualTo(415);
        assertThat(send("POST", "/api/v1/tus/", null, tus("Upload-Length", "10", "Upload-Metadata", "filename !!"))
                        .statusCode())
                .isEqualTo(400);
        assertThat(send(
                                "POST",
                                "/api/v1/tus/",
                                null,
                                tus(
                                        "Upload-Length",
                                        "10",
                                        "Upload-Metadata",
                                        "expiry " + b64("soon".getBytes(StandardCharsets.UTF_8))))
                        .statusCode())
                .isEqualTo(400);
        assertThat(send("HEAD", "/api/v1/tus/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null, tus())
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("HEAD", "/api/v1/tus/../../etc/passwd", null, tus()).statusCode())
                .isIn(400, 404);
        assertThat(send("GET", "/api/v1/tus/", null, tus()).statusCode()).isEqualTo(405);
        String location = create(100, "type.bin");
        assertThat(send(
                                "PATCH",
                                path(location),
                                random(10),
                                tus("Upload-Offset", "0", "Content-Type", "application/octet-stream"))
                        .statusCode())
                .isEqualTo(415);
        assertThat(send("DELETE", path(location), null, tus()).statusCode()).isEqualTo(204);
        assertThat(leftovers()).hasSize(before);
        HttpResponse<String> refused = send("POST", "/api/v1/tus/", null, tus());
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("text/plain; charset=UTF-8");
        assertThat(refused.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aTypeRefusedOnceTheLastByteLandsRemovesTheBytes() throws Exception {
        byte[] html = "<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>"
                .getBytes(StandardCharsets.UTF_8);
        String location = create(html.length, "notes.txt");
        HttpResponse<String> last = patch(location, 0, html, null);
        assertThat(last.statusCode()).isEqualTo(415);
        assertThat(last.body()).contains("File type not allowed");
        assertThat(send("HEAD", path(location), null, tus()).statusCode()).isEqualTo(404);
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertThat(STORAGE.resolve("tus").resolve(id + ".bin")).doesNotExist();
        assertThat(Storage.blobs(STORAGE, sha256(html))).isEmpty();
    }

    @Test
    void bytesAlreadyHostedAreStoredOnceAndTheWholeFileCanComeWithTheCreation() throws Exception {
        byte[] content = random(70_000);
        HttpResponse<String> pomf = upload(new Multipart().file("a.bin", content));
        assertThat(pomf.statusCode()).isEqualTo(200);
        HttpResponse<String> created = send(
                "POST",
                "/api/v1/tus/",
                content,
                tus(
                        "Upload-Length", "" + content.length,
                        "Content-Type", "application/offset+octet-stream",
                        "Upload-Metadata", "filename " + b64("b.bin".getBytes(StandardCharsets.UTF_8))));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Upload-Offset")).hasValue("" + content.length);
        JsonObject file = json(created).getJsonArray("files").getJsonObject(0);
        assertThat(file.getString("hash")).isEqualTo(sha1(content));
        assertThat(file.getString("url"))
                .isNotEqualTo(json(pomf).getJsonArray("files").getJsonObject(0).getString("url"));
        assertThat(get(path(file.getString("url"))).body()).isEqualTo(content);
        assertThat(Storage.blobs(STORAGE, sha256(content))).hasSize(1);
    }

    @Test
    void aDownloadLimitInTheMetadataHoldsForTheLinkAndABadOneIsRefusedAtCreation() throws Exception {
        byte[] content = random(5_000);
        HttpResponse<String> bad = send(
                "POST",
                "/api/v1/tus/",
                null,
                tus(
                        "Upload-Length", "" + content.length,
                        "Upload-Metadata", "max_downloads " + b64("none".getBytes(StandardCharsets.UTF_8))));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Invalid max_downloads");
        HttpResponse<String> created = send(
                "POST",
                "/api/v1/tus/",
                content,
                tus(
                        "Upload-Length", "" + content.length,
                        "Content-Type", "application/offset+octet-stream",
                        "Upload-Metadata",
                                "filename " + b64("once.bin".getBytes(StandardCharsets.UTF_8)) + ",max_downloads "
                                        + b64("1".getBytes(StandardCharsets.UTF_8))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject file = json(created).getJsonArray("files").getJsonObject(0);
        assertThat(file.getInt("max_downloads")).isEqualTo(1);
        assertThat(get(path(file.getString("url"))).body()).isEqualTo(content);
        assertThat(get(path(file.getString("url"))).statusCode()).isEqualTo(404);
    }

    @Test
    void oneAddressHasAtMostItsShareOfUnfinishedUploads() throws Exception {
        List<String> mine = new ArrayList<>();
        HttpResponse<String> refused = null;
        for (int i = 0; i < 4 && refused == null; i++) {
            HttpResponse<String> r = send("POST", "/api/v1/tus/", null, tus("Upload-Length", "1000"));
            if (r.statusCode() == 201) {
                mine.add(r.headers().firstValue("Location").orElseThrow());
            } else {
                refused = r;
            }
        }
        assertThat(refused).as("the fourth unfinished upload at the latest").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("Too many unfinished uploads");
        for (String location : mine) {
            assertThat(send("DELETE", path(location), null, tus()).statusCode()).isEqualTo(204);
        }
        String again = create(10, "again.bin");
        assertThat(send("DELETE", path(again), null, tus()).statusCode()).isEqualTo(204);
    }

    @Test
    void twoRequestsWritingOneUploadAtOnceLeaveOneWritingUntilItsClientGoesQuiet() throws Exception {
        String location = create(2 * 1024 * 1024, "race.bin");
        try (Socket socket = new Socket("127.0.0.1", uri("/").getPort())) {
            OutputStream out = socket.getOutputStream();
            patchHead(out, location, 0, 2 * 1024 * 1024);
            out.write(random(100_000));
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> offset(location) == 100_000);
            HttpResponse<String> second = patch(location, 100_000, random(10), null);
            assertThat(second.statusCode()).isEqualTo(423);
            assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
            // The first client goes quiet without closing (a phone that changed networks): after 10 s a new
            // request takes the upload over, and the old one is ended.
            Thread.sleep(10_500);
            HttpResponse<String> taken = patch(location, 100_000, random(10), null);
            assertThat(taken.statusCode()).isEqualTo(204);
            assertThat(taken.headers().firstValue("Upload-Offset")).hasValue("100010");
            socket.setSoTimeout(5000);
            assertThat(statusLine(socket)).startsWith("HTTP/1.1 408");
        }
        assertThat(offset(location)).isEqualTo(100_010);
        assertThat(send("DELETE", path(location), null, tus()).statusCode()).isEqualTo(204);
    }

    @Test
    void aPatchThatReceivesNothingForTheIdleTimeoutIsEndedAndItsBytesStay() throws Exception {
        String location = create(1024 * 1024, "silent.bin");
        try (Socket socket = new Socket("127.0.0.1", uri("/").getPort())) {
            OutputStream out = socket.getOutputStream();
            patchHead(out, location, 0, 1024 * 1024);
            out.write(random(70_000));
            out.flush();
            // Nothing more, and no close: pomf.upload.idle-timeout (15 s here) ends it, without a second request.
            socket.setSoTimeout(40_000);
            assertThat(statusLine(socket)).startsWith("HTTP/1.1 408");
        }
        assertThat(offset(location)).isEqualTo(70_000);
        assertThat(patch(location, 70_000, random(10), null).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", path(location), null, tus()).statusCode()).isEqualTo(204);
    }

    @Test
    void unfinishedUploadsExpireAfterTheirLastRequestAndAreSweptWithTheirBytes() throws Exception {
        String location = create(1000, "late.bin");
        HttpResponse<String> first = patch(location, 0, random(100), null);
        assertThat(first.statusCode()).isEqualTo(204);
        Thread.sleep(12_000);
        // An upload in use is not taken away: each request that brings bytes starts the window (25 s) again.
        HttpResponse<String> second = patch(location, 100, random(100), null);
        assertThat(second.statusCode()).isEqualTo(204);
        assertThat(expires(second)).isAfterOrEqualTo(expires(first).plusSeconds(10));
        Thread.sleep(16_000); // 28 s after the first request, 16 s after the second
        assertThat(offset(location)).isEqualTo(200);
        String id = location.substring(location.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> send("HEAD", path(location), null, tus()).statusCode() == 404);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !Files.exists(STORAGE.resolve("tus").resolve(id + ".bin")));
        assertThat(STORAGE.resolve("tus").resolve(id + ".info")).doesNotExist();
    }

    @Test
    void aClientResumesAfterTheServiceWasKilledAndTheHashesAreRight() throws Exception {
        Path work = Files.createTempDirectory("pomf-it-tus");
        int port = 18620;
        String base = "http://127.0.0.1:" + port;
        Map<String, String> config = Map.of(
                "pomf.roles",
                "origin",
                "pomf.node.name",
                "tus-kill",
                "pomf.storage.dir",
                work.resolve("storage").toString(),
                "pomf.public-url",
                base);
        byte[] content = random(4 * 1024 * 1024);
        int acknowledged = 1536 * 1024;
        String location;
        try {
            try (PayaraProcess origin = PayaraProcess.start(port, work, config)) {
                HttpResponse<String> created = send(
                        "POST",
                        base + "/api/v1/tus/",
                        null,
                        tus(
                                "Upload-Length",
                                Integer.toString(content.length),
                                "Upload-Metadata",
                                "filename " + b64("killed.bin".getBytes(StandardCharsets.UTF_8))));
                assertThat(created.statusCode()).isEqualTo(201);
                location = created.headers().firstValue("Location").orElseThrow();
                assertThat(patch(location, 0, slice(content, 0, acknowledged), null)
                                .statusCode())
                        .isEqualTo(204);
                // A second PATCH is on its way when the service is killed.
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    OutputStream out = socket.getOutputStream();
                    patchHead(out, location, acknowledged, (content.length - acknowledged));
                    out.write(content, acknowledged, 512 * 1024);
                    out.flush();
                    Thread.sleep(300);
                    origin.kill();
                }
            }
            try (PayaraProcess origin = PayaraProcess.start(port, work, config)) {
                long offset = offset(location);
                assertThat(offset).as("nothing acknowledged is lost").isBetween((long) acknowledged, 2048L * 1024);
                Capturing client = new Capturing(base + "/api/v1/tus/");
                TusUploader uploader =
                        client.beginOrResumeUploadFromURL(tusUpload(content, "killed.bin"), new URL(location));
                assertThat(uploader.getOffset()).isEqualTo(offset);
                while (uploader.uploadChunk() > -1) {
                    // on to the end
                }
                uploader.finish();
                assertThat(client.last().getResponseCode()).isEqualTo(200);
                String file = client.last().getHeaderField("X-File-Url");
                byte[] served = HTTP.send(
                                HttpRequest.newBuilder(URI.create(file)).build(),
                                HttpResponse.BodyHandlers.ofByteArray())
                        .body();
                assertThat(served).isEqualTo(content);
                assertThat(Storage.blobs(work.resolve("storage"), sha256(content)))
                        .hasSize(1);
            }
        } finally {
            Deployments.deleteTree(work);
        }
    }

    @Test
    void theUploadPageSendsALargeFileInChunksAndGoesOnWhereItStoppedAfterAReload() throws Exception {
        Optional<String> unavailable = Browser.unavailable();
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        Path folder = Files.createTempDirectory("pomf-it-tus-page");
        // 200 MiB and a bit, in the page's 50 MiB chunks: written and hashed in pieces, never held whole in memory.
        Path file = folder.resolve("big video.mp4");
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        java.util.Random random = new java.util.Random(200);
        byte[] block = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 200; i++) {
                random.nextBytes(block);
                out.write(block);
                written.update(block);
            }
            out.write(block, 0, 123);
            written.update(block, 0, 123);
        }
        try (Browser browser = Browser.start("tus")) {
            browser.open("/");
            // The connection is lost after two chunks: the third PATCH is never sent.
            browser.script("var send = XMLHttpRequest.prototype.send; window.patches = 0;"
                    + "XMLHttpRequest.prototype.send = function (body) {"
                    + "  if (body instanceof Blob && ++window.patches > 2) { return; }"
                    + "  return send.call(this, body); };");
            browser.choose(By.id("files"), file);
            String[] location = new String[1];
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                location[0] = (String) browser.script("var k = Object.keys(localStorage)"
                        + ".filter(function (k) { return k.indexOf('pomf-tus:') === 0; });"
                        + "return k.length ? localStorage.getItem(k[0]) : null;");
                return location[0] != null && offset(location[0]) == 2L * PAGE_CHUNK;
            });
            browser.screenshot("tus-stopped-after-two-chunks");
            browser.open("/"); // a reload: the page forgets everything but localStorage
            browser.choose(By.id("files"), file);
            WebElement link = browser.find(By.cssSelector(".result.done a.url"));
            browser.screenshot("tus-finished-after-reload");
            assertThat(browser.find(By.cssSelector(".result.done")).getAttribute("class"))
                    .as("the second page continued the upload")
                    .contains("resumed");
            MessageDigest served = MessageDigest.getInstance("SHA-256");
            HttpResponse<InputStream> download = HTTP.send(
                    HttpRequest.newBuilder(URI.create(uri("").toString() + path(link.getText())))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(download.statusCode()).isEqualTo(200);
            try (InputStream in = download.body()) {
                int n;
                while ((n = in.read(block)) > 0) {
                    served.update(block, 0, n);
                }
            }
            assertThat(HexFormat.of().formatHex(served.digest()))
                    .as("the file served is the file chosen")
                    .isEqualTo(HexFormat.of().formatHex(written.digest()));
            assertThat(link.getText()).endsWith(".mp4");
            assertThat(browser.script("return Object.keys(localStorage).length;"))
                    .isEqualTo(0L);
            assertThat(send("HEAD", location[0], null, tus()).statusCode()).isEqualTo(404);
        } finally {
            Deployments.deleteTree(folder);
        }
    }

    // --- helpers

    /** tus-java-client, keeping the last connection it made: the final PATCH's answer carries the Pomf reply. */
    static final class Capturing extends TusClient {
        private HttpURLConnection last;

        Capturing() throws IOException {
            this(uri("/api/v1/tus/").toString());
        }

        Capturing(String creation) throws IOException {
            setUploadCreationURL(new URL(creation));
        }

        @Override
        public void prepareConnection(HttpURLConnection connection) {
            super.prepareConnection(connection);
            last = connection;
        }

        HttpURLConnection last() {
            return last;
        }
    }

    static io.tus.java.client.TusUpload tusUpload(byte[] content, String name) {
        io.tus.java.client.TusUpload upload = new io.tus.java.client.TusUpload();
        upload.setSize(content.length);
        InputStream in = new ByteArrayInputStream(content);
        upload.setInputStream(in);
        upload.setFingerprint(sha1(content));
        upload.setMetadata(Map.of("filename", name));
        return upload;
    }

    static String create(long length, String name) throws Exception {
        HttpResponse<String> created = send(
                "POST",
                "/api/v1/tus/",
                null,
                tus(
                        "Upload-Length",
                        Long.toString(length),
                        "Upload-Metadata",
                        "filename " + b64(name.getBytes(StandardCharsets.UTF_8))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Upload-Expires")).hasValueSatisfying(date -> assertThat(date)
                .as("an HTTP date (IMF-fixdate)")
                .matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"));
        return created.headers().firstValue("Location").orElseThrow();
    }

    static java.time.Instant expires(HttpResponse<?> answer) {
        return java.time.ZonedDateTime.parse(
                        answer.headers().firstValue("Upload-Expires").orElseThrow(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant();
    }

    static long offset(String location) throws Exception {
        HttpResponse<String> head = send("HEAD", location, null, tus());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-store");
        return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
    }

    static HttpResponse<String> patch(String location, long offset, byte[] body, String checksum) throws Exception {
        Map<String, String> headers = new java.util.HashMap<>(
                tus("Upload-Offset", Long.toString(offset), "Content-Type", "application/offset+octet-stream"));
        if (checksum != null) {
            headers.put("Upload-Checksum", checksum);
        }
        return send("PATCH", location, body, headers);
    }

    static Map<String, String> tus(String... pairs) {
        Map<String, String> headers = new java.util.HashMap<>();
        headers.put("Tus-Resumable", "1.0.0");
        for (int i = 0; i < pairs.length; i += 2) {
            headers.put(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    static HttpResponse<String> send(String method, String path, byte[] body, Map<String, String> headers)
            throws Exception {
        String url = path.startsWith("http") ? path : uri("").toString() + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<Path> leftovers() throws IOException {
        Path folder = STORAGE.resolve("tus");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.toList();
        }
    }

    /** The head of a PATCH announcing {@code length} body bytes at {@code offset}, sent raw: its body is the test's. */
    static void patchHead(OutputStream out, String location, long offset, long length) throws IOException {
        out.write(("PATCH " + path(location) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
                        + "Upload-Offset: " + offset + "\r\nContent-Type: application/offset+octet-stream\r\n"
                        + "Content-Length: " + length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** The first line of the answer on {@code socket} (the connection may stay open a while to drain the body). */
    static String statusLine(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        InputStream in = socket.getInputStream();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    static byte[] slice(byte[] bytes, int from, int length) {
        return java.util.Arrays.copyOfRange(bytes, from, from + length);
    }

    static byte[] digest(String algorithm, byte[] bytes) throws Exception {
        return MessageDigest.getInstance(algorithm).digest(bytes);
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
