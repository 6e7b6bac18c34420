package pomf.upload.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static pomf.it.clients.PomfClient.get;
import static pomf.it.clients.PomfClient.json;
import static pomf.it.clients.PomfClient.path;
import static pomf.it.clients.PomfClient.random;
import static pomf.it.clients.PomfClient.sha1;
import static pomf.it.clients.PomfClient.upload;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.clients.PomfClient.Multipart;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.Storage;

/** The Pomf API as its clients use it: formats, several files, dedup, names, and what comes back. */
@ExtendWith(ArquillianExtension.class)
class UploadIT {
    static final Path STORAGE = Deployments.newStorage();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.origin(
                STORAGE,
                Map.of(
                        "pomf.upload.banned-hashes",
                        sha1("banned by configuration".getBytes()),
                        "pomf.storage.janitor-interval",
                        "1"));
    }

    @Test
    void severalFilesAreAnsweredInRequestOrderWithPomfsKeysFirst() {
        byte[] a = random(1000);
        byte[] b = random(2000);
        HttpResponse<String> response = upload(new Multipart().file("a.bin", a).file("b.jpg", b));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
        JsonObject body = json(response);
        assertThat(body.getBoolean("success")).isTrue();
        var files = body.getJsonArray("files");
        assertThat(files).hasSize(2);
        JsonObject first = files.getJsonObject(0);
        assertThat(List.copyOf(first.keySet()).subList(0, 4)).containsExactly("hash", "name", "url", "size");
        assertThat(first.getString("hash")).isEqualTo(sha1(a));
        assertThat(first.getString("name")).isEqualTo("a.bin");
        assertThat(first.getJsonNumber("size").longValue()).isEqualTo(1000);
        assertThat(first.getString("url")).matches("http://127\\.0\\.0\\.1:\\d+/f/[A-Za-z0-9]{8}\\.bin");
        assertThat(files.getJsonObject(1).getString("url")).endsWith(".jpg");
        assertThat(get(path(first.getString("url"))).body()).isEqualTo(a);
        assertThat(get(path(files.getJsonObject(1).getString("url"))).body()).isEqualTo(b);
    }

    @Test
    void curlsPlainFilesFieldIsAcceptedToo() {
        byte[] content = random(10);
        HttpResponse<String> response = upload(new Multipart().file("files", "x.txt", content));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).getJsonArray("files").getJsonObject(0).getString("hash"))
                .isEqualTo(sha1(content));
    }

    @Test
    void textOutputIsOneUrlPerLineUsableAsAWholeBody() {
        HttpResponse<String> response =
                upload("?output=text", new Multipart().file("a.png", random(64)).file("b", random(64)));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=UTF-8");
        String[] lines = response.body().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).matches("http://127\\.0\\.0\\.1:\\d+/f/[A-Za-z0-9]{8}\\.png");
        assertThat(lines[1]).matches("http://127\\.0\\.0\\.1:\\d+/f/[A-Za-z0-9]{8}");
        assertThat(response.body()).endsWith("\n");
    }

    @Test
    void gyazoCsvAndHtmlOutputsEscapeTheName() {
        byte[] content = random(32);
        String name = "q\"uote <b>x</b>.txt";
        HttpResponse<String> gyazo = upload("?output=gyazo", new Multipart().file(name, content));
        assertThat(gyazo.body()).matches("http://\\S+/f/[A-Za-z0-9]{8}\\.txt\n");

        HttpResponse<String> csv = upload("?output=csv", new Multipart().file("say \"hi\".txt", content));
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=UTF-8");
        assertThat(csv.body()).startsWith("\"name\",\"url\",\"hash\",\"size\"\r\n");
        assertThat(csv.body()).contains("\"say %22hi%22.txt\"", "\"" + sha1(content) + "\",\"32\"\r\n");

        HttpResponse<String> html = upload("?output=html", new Multipart().file(name, content));
        assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(html.body()).matches("<a href=\"http://\\S+\">http://\\S+</a><br>");
    }

    @Test
    void sameBytesAreStoredOnceButEachUploadGetsItsOwnLink() throws Exception {
        byte[] content = random(5000);
        JsonObject first = json(upload(new Multipart().file("first.dat", content)))
                .getJsonArray("files")
                .getJsonObject(0);
        JsonObject second = json(upload(new Multipart().file("second.dat", content)))
                .getJsonArray("files")
                .getJsonObject(0);
        assertThat(second.getString("url"))
                .as("a second upload of known bytes learns nothing of the first one's link")
                .isNotEqualTo(first.getString("url"));
        assertThat(second.getString("hash")).isEqualTo(first.getString("hash"));
        assertThat(second.getJsonNumber("size").longValue()).isEqualTo(5000);
        assertThat(second.getString("name")).isEqualTo("second.dat");
        assertThat(second.getString("delete_url")).isNotEqualTo(first.getString("delete_url"));
        assertThat(get(path(first.getString("url"))).body()).isEqualTo(content);
        assertThat(get(path(second.getString("url"))).body()).isEqualTo(content);
        assertThat(Storage.blobs(STORAGE, pomf.it.clients.PomfClient.sha256(content)))
                .hasSize(1);
    }

    /** Reads a ShareX value such as {@code {json:files[0].url}} from a JSON reply, as ShareX does. */
    static String shareX(String template, JsonObject reply) {
        assertThat(template).startsWith("{json:").endsWith("}");
        jakarta.json.JsonValue at = reply;
        for (String step : template.substring(6, template.length() - 1).split("\\.")) {
            int bracket = step.indexOf('[');
            String key = bracket < 0 ? step : step.substring(0, bracket);
            at = at.asJsonObject().get(key);
            if (bracket >= 0) {
                at = at.asJsonArray().get(Integer.parseInt(step.substring(bracket + 1, step.length() - 1)));
            }
        }
        return ((jakarta.json.JsonString) at).getString();
    }

    @Test
    void theShareXUploaderUploadsAndDeletesAsShareXWould() throws Exception {
        HttpResponse<String> download = pomf.it.clients.PomfClient.getText("/sharex.sxcu");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(v -> assertThat(v).matches("attachment; filename=\"[A-Za-z0-9.-]+\\.sxcu\""));
        JsonObject config = json(download);
        assertThat(config.getString("RequestMethod")).isEqualTo("POST");
        assertThat(config.getString("Body")).isEqualTo("MultipartFormData");
        assertThat(config.getString("RequestURL")).endsWith("/upload.php");
        assertThat(config.getString("DestinationType")).contains("FileUploader");

        // What ShareX sends: the file under FileFormName, to RequestURL, and nothing else.
        byte[] screenshot = random(7000);
        HttpResponse<String> reply = pomf.it.clients.PomfClient.upload(
                new Multipart().file(config.getString("FileFormName"), "Screenshot_2026.png", screenshot));
        assertThat(reply.statusCode()).isEqualTo(200);
        String url = shareX(config.getString("URL"), json(reply));
        assertThat(get(path(url)).body()).isEqualTo(screenshot);
        String deletion = shareX(config.getString("DeletionURL"), json(reply));
        assertThat(pomf.it.clients.PomfClient.post(path(deletion), "").statusCode())
                .isEqualTo(200);
        assertThat(get(path(url)).statusCode()).isEqualTo(404);

        HttpResponse<String> refused = pomf.it.clients.PomfClient.upload(
                new Multipart().file(config.getString("FileFormName"), "tool.exe", random(100)));
        assertThat(refused.statusCode()).isEqualTo(415);
        assertThat(shareX(config.getString("ErrorMessage"), json(refused))).isNotBlank();
        assertThat(pomf.it.clients.PomfClient.getText("/").body()).contains("href=\"/sharex.sxcu\"");
    }

    @Test
    void emptyFileIsAcceptedWithTheEmptySha1() {
        JsonObject file = json(upload(new Multipart().file("empty.txt", new byte[0])))
                .getJsonArray("files")
                .getJsonObject(0);
        assertThat(file.getString("hash")).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assertThat(file.getJsonNumber("size").longValue()).isZero();
        HttpResponse<byte[]> served = get(path(file.getString("url")));
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEmpty();
    }

    @Test
    void doubleExtensionsAreKeptAndOddOnesDropped() {
        var files = json(upload(new Multipart()
                        .file("my.backup.tar.gz", random(100))
                        .file("script.user.js", random(100))
                        .file("PHOTO.JPG", random(100))
                        .file("weird.ext$%", random(100))
                        .file("noextension", random(100))))
                .getJsonArray("files");
        assertThat(files.getJsonObject(0).getString("url")).matches(".*/f/[A-Za-z0-9]{8}\\.tar\\.gz");
        assertThat(files.getJsonObject(1).getString("url")).matches(".*/f/[A-Za-z0-9]{8}\\.user\\.js");
        assertThat(files.getJsonObject(2).getString("url")).matches(".*/f/[A-Za-z0-9]{8}\\.JPG");
        assertThat(files.getJsonObject(3).getString("url")).matches(".*/f/[A-Za-z0-9]{8}");
        assertThat(files.getJsonObject(4).getString("url")).matches(".*/f/[A-Za-z0-9]{8}");
    }

    @Test
    void blockedExtensionsAreRefusedWhateverTheirCase() {
        for (String name : List.of("UPPER.EXE", "x.exe", "page.HtMl", "trailing.exe. ", "image.svg")) {
            HttpResponse<String> response = upload(new Multipart().file(name, random(100)));
            assertThat(response.statusCode()).as(name).isEqualTo(415);
            assertThat(json(response).getString("description")).isEqualTo("File type not allowed.");
        }
    }

    @Test
    void blockedContentIsRefusedWhateverItsName() {
        byte[] html =
                "<!DOCTYPE html><html><head><script>alert(1)</script></head></html>".getBytes(StandardCharsets.UTF_8);
        byte[] exe = new byte[4096];
        exe[0] = 'M';
        exe[1] = 'Z';
        exe[0x3c] = (byte) 0x80;
        exe[0x80] = 'P';
        exe[0x81] = 'E';
        for (byte[] content : List.of(html, exe)) {
            HttpResponse<String> response = upload(new Multipart().file("harmless.txt", content));
            assertThat(response.statusCode()).isEqualTo(415);
        }
    }

    @Test
    void filteringHappensBeforeDedup() {
        byte[] exe = new byte[2048];
        exe[0] = 'M';
        exe[1] = 'Z';
        exe[0x3c] = 0x40;
        exe[0x40] = 'P';
        exe[0x41] = 'E';
        assertThat(upload(new Multipart().file("a.exe", exe)).statusCode()).isEqualTo(415);
        assertThat(upload(new Multipart().file("a.dat", exe)).statusCode()).isEqualTo(415);
    }

    @Test
    void aRejectedFileFailsTheWholeRequestAndKeepsNothing() throws Exception {
        byte[] good = random(3000);
        HttpResponse<String> response =
                upload(new Multipart().file("good.bin", good).file("bad.exe", random(10)));
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(Storage.blobs(STORAGE, pomf.it.clients.PomfClient.sha256(good)))
                .isEmpty();
        assertThat(Storage.temporaryFiles(STORAGE)).isEmpty();
    }

    @Test
    void aBannedFileAfterAGoodOneFailsTheWholeRequestAndKeepsNothing() throws Exception {
        // The registry checks, places and records the good file before it finds the second one banned: all of it
        // is undone (the blob goes back to its temporary file, which goes with the request).
        byte[] good = random(5000);
        byte[] bad = random(700);
        String goodHash = pomf.it.clients.PomfClient.sha256(good);
        pomf.it.deployments.Database.execute(
                "insert into banned_hash (hash, reason, created_at) values (?, 'UploadIT', now())",
                pomf.it.clients.PomfClient.sha256(bad));
        HttpResponse<String> response =
                upload(new Multipart().file("good.bin", good).file("bad.bin", bad));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(451);
        assertThat(Storage.blobs(STORAGE, goodHash)).isEmpty();
        assertThat(Storage.temporaryFiles(STORAGE)).isEmpty();
        assertThat(pomf.it.deployments.Database.count("select count(*) from stored_file where sha256 = ?", goodHash))
                .isZero();
        HttpResponse<String> alone = upload(new Multipart().file("good.bin", good));
        assertThat(alone.statusCode()).isEqualTo(200);
        assertThat(Storage.blobs(STORAGE, goodHash)).hasSize(1);
    }

    @Test
    void bannedHashesAreRefused() {
        HttpResponse<String> response = upload(new Multipart().file("ok.txt", "banned by configuration".getBytes()));
        assertThat(response.statusCode()).isEqualTo(451);
        assertThat(json(response).getString("description")).isEqualTo("File unavailable for legal reasons.");
    }

    @Test
    void randomDataIsNeverMistakenForAnExecutable() {
        for (int i = 0; i < 40; i++) {
            Multipart request = new Multipart();
            for (int j = 0; j < 25; j++) {
                request.file("random" + j + ".bin", random(512));
            }
            assertThat(upload(request).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aChunkedUploadThatWaitsForContinueIsToldToContinueBeforeItSendsItsBody() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", pomf.it.clients.PomfClient.PORT)) {
            socket.setSoTimeout(5000); // curl waits 1 s for it, Java's HttpURLConnection 5 s
            byte[] content = random(3000);
            Multipart form = new Multipart().file("late.bin", content);
            var out = socket.getOutputStream();
            out.write(("POST /upload.php HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: " + form.contentType() + "\r\nTransfer-Encoding: chunked\r\n"
                            + "Expect: 100-continue\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var in = socket.getInputStream();
            byte[] interim = new byte[25];
            int n = 0;
            while (n < interim.length) {
                int r = in.read(interim, n, interim.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            assertThat(new String(interim, 0, n, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            byte[] body = form.bytes();
            out.write((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").contains(sha1(content));
        }
    }
}
