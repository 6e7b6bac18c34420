package pomf.rehearsal;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Pomf client: one file per POST to {@code /upload.php?output=FORMAT} as {@code files[]}, its body streamed from
 * disk (a library of hundreds of MiB never sits in memory). What came back is kept whole, so the caller can check the
 * status and the format of a failure as well as a success.
 *
 * <p>With several origins (the bucket variant) it takes them in turn, and an upload whose origin could not be reached
 * or died under it (no answer at all) is sent again, whole, to the next one, as a client behind two addresses does.
 * Bodies may be paced (bytes a second), so that large uploads are in flight long enough for a kill to find them.
 */
final class Uploader {
    /** The origin's answer; status 0 when no connection could be made. */
    record Answer(int status, String contentType, String body) {
        boolean ok() {
            return status == 200;
        }
    }

    /**
     * One try on one origin: its answer's status (0: none), and whether the request reached the origin (false: the
     * connection was refused, so the origin cannot have stored anything of it).
     */
    record Attempt(int origin, Instant started, Instant ended, int status, boolean reached) {}

    /** What the client got in the end, after every try. */
    record Result(Answer answer, List<Attempt> attempts) {
        boolean ok() {
            return answer.ok();
        }
    }

    /** An upload being sent now: to which origin, and how many of its bytes have gone. */
    record Sending(int origin, long size, AtomicLong sent) {}

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<URI> origins;
    private final long bytesPerSecond;
    private final AtomicInteger turn = new AtomicInteger();
    private final Set<Sending> sending = ConcurrentHashMap.newKeySet();

    Uploader(URI origin) {
        this(List.of(origin), 0);
    }

    /** Over several origins in turn; {@code bytesPerSecond} paces each body (0: as fast as it goes). */
    Uploader(List<URI> origins, long bytesPerSecond) {
        this.origins = List.copyOf(origins);
        this.bytesPerSecond = bytesPerSecond;
    }

    /** The first origin's answer (no retry with one origin), or the last try's with several. */
    Answer upload(Path file, String filename, String format) {
        return send(file, filename, format).answer();
    }

    /** Sends to the next origin in turn; an upload that got no answer goes to the following one, up to each once. */
    Result send(Path file, String filename, String format) {
        int first = Math.floorMod(turn.getAndIncrement(), origins.size());
        List<Attempt> attempts = new ArrayList<>();
        Answer answer = null;
        for (int i = 0; i < origins.size(); i++) {
            int origin = (first + i) % origins.size();
            Instant started = Instant.now();
            boolean[] reached = {true};
            answer = sendTo(origin, file, filename, format, reached);
            attempts.add(new Attempt(origin, started, Instant.now(), answer.status(), reached[0]));
            if (answer.status() != 0) {
                break;
            }
        }
        return new Result(answer, List.copyOf(attempts));
    }

    /** The uploads being sent now. */
    List<Sending> sending() {
        return List.copyOf(sending);
    }

    private Answer sendTo(int origin, Path file, String filename, String format, boolean[] reached) {
        String boundary =
                "----rehearsal" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"" + filename
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        Sending now = null;
        try {
            long size = Files.size(file);
            HttpRequest.BodyPublisher body;
            if (bytesPerSecond <= 0) {
                body = HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(file),
                        HttpRequest.BodyPublishers.ofByteArray(tail));
            } else {
                Sending paced = new Sending(origin, size, new AtomicLong());
                now = paced;
                body = HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> paced(head, file, tail, paced.sent())),
                        head.length + size + tail.length);
            }
            HttpRequest request = HttpRequest.newBuilder(origins.get(origin).resolve("/upload.php?output=" + format))
                    .timeout(Duration.ofMinutes(10))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(body)
                    .build();
            if (now != null) {
                sending.add(now);
            }
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    answer.statusCode(),
                    answer.headers().firstValue("Content-Type").orElse(""),
                    answer.body());
        } catch (IOException e) {
            reached[0] = !(e instanceof ConnectException);
            return new Answer(0, "", String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "", "interrupted");
        } finally {
            if (now != null) {
                sending.remove(now);
            }
        }
    }

    /** The multipart body at {@link #bytesPerSecond}, counting what has been read into {@code sent}. */
    private InputStream paced(byte[] head, Path file, byte[] tail, AtomicLong sent) {
        InputStream whole;
        try {
            whole = new SequenceInputStream(
                    new SequenceInputStream(new ByteArrayInputStream(head), Files.newInputStream(file)),
                    new ByteArrayInputStream(tail));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long began = System.nanoTime();
        return new FilterInputStream(whole) {
            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                int n = super.read(bytes, offset, Math.min(length, 64 * 1024));
                if (n > 0) {
                    long due = began + sent.addAndGet(n) * 1_000_000_000L / bytesPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException();
                        }
                    }
                }
                return n;
            }
        };
    }
}
