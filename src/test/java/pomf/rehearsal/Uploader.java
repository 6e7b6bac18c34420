package pomf.rehearsal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Pomf client: one file per POST to {@code /upload.php?output=FORMAT} as {@code files[]}, its body streamed from
 * disk (a library of hundreds of MiB never sits in memory). What came back is kept whole, so the caller can check the
 * status and the format of a failure as well as a success.
 */
final class Uploader {
    /** The origin's answer; status 0 when no connection could be made. */
    record Answer(int status, String contentType, String body) {
        boolean ok() {
            return status == 200;
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI origin;

    Uploader(URI origin) {
        this.origin = origin;
    }

    Answer upload(Path file, String filename, String format) {
        String boundary =
                "----rehearsal" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"" + filename
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            HttpRequest request = HttpRequest.newBuilder(origin.resolve("/upload.php?output=" + format))
                    .timeout(Duration.ofMinutes(10))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(
                            HttpRequest.BodyPublishers.ofByteArray(head),
                            HttpRequest.BodyPublishers.ofFile(file),
                            HttpRequest.BodyPublishers.ofByteArray(tail)))
                    .build();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    answer.statusCode(),
                    answer.headers().firstValue("Content-Type").orElse(""),
                    answer.body());
        } catch (IOException e) {
            return new Answer(0, "", String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "", "interrupted");
        }
    }
}
