package pomf.rehearsal;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import pomf.it.load.CatalogueFile;

/**
 * Downloads straight from the origins, beside the load through the edges: one reader per origin, each going through
 * the library's larger files in turn, paced so that one is always in the middle of a body, every byte compared with
 * the uploaded file as it comes. A reader whose origin cannot be reached asks the other one, as a client behind two
 * addresses does; a body cut short is recorded as cut (never retried: what matters is that no wrong byte came).
 */
final class OriginReads {
    /** One download: from which origin, in which phase, and what came of it (ok, cut_off, wrong_body, ...). */
    record Read(int origin, String phase, Instant started, String outcome) {}

    private final List<CatalogueFile> files;
    private final java.util.function.Function<CatalogueFile, Path> local;
    private final long bytesPerSecond;
    private final Supplier<String> phase;
    final List<Read> reads = new CopyOnWriteArrayList<>();
    /** Bytes of the body being read now, by reader (-1 between reads); the reader's origin for it. */
    private final AtomicLong[] inBody = {new AtomicLong(-1), new AtomicLong(-1)};

    private final int[] readingFrom = {-1, -1};
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    OriginReads(
            List<CatalogueFile> files,
            java.util.function.Function<CatalogueFile, Path> local,
            long bytesPerSecond,
            Supplier<String> phase) {
        this.files = files.stream().filter(f -> f.size() >= 1 << 20).toList();
        this.local = local;
        this.bytesPerSecond = bytesPerSecond;
        this.phase = phase;
    }

    void start() {
        running = true;
        for (int reader = 0; reader < 2; reader++) {
            int self = reader;
            Thread thread = new Thread(() -> run(self), "origin-read-" + reader);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(60_000);
        }
    }

    /** Bytes received so far of a body being read from {@code origin} now (the most of any reader), or -1. */
    synchronized long readingFrom(int origin) {
        long most = -1;
        for (int reader = 0; reader < 2; reader++) {
            if (readingFrom[reader] == origin) {
                most = Math.max(most, inBody[reader].get());
            }
        }
        return most;
    }

    private void run(int reader) {
        for (int i = reader; running; i++) {
            CatalogueFile file = files.get(i % files.size());
            String label = phase.get();
            Instant started = Instant.now();
            int origin = reader;
            String outcome = read(reader, origin, file);
            if (outcome.startsWith("connect_error")) {
                origin = 1 - reader;
                outcome = read(reader, origin, file);
            }
            reads.add(new Read(origin, label, started, outcome));
        }
    }

    private String read(int reader, int origin, CatalogueFile file) {
        synchronized (this) {
            readingFrom[reader] = origin;
            inBody[reader].set(-1);
        }
        long received = 0;
        try (FileChannel expected = FileChannel.open(local.apply(file))) {
            HttpURLConnection c =
                    (HttpURLConnection) new URL(StageConfig.originUrl(origin) + "/f/" + file.name()).openConnection();
            c.setConnectTimeout(2_000);
            c.setReadTimeout(10_000);
            c.setUseCaches(false);
            int status;
            try {
                status = c.getResponseCode();
            } catch (ConnectException e) {
                return "connect_error";
            }
            if (status != 200) {
                c.disconnect();
                return "http_error(" + status + ")";
            }
            byte[] buffer = new byte[64 * 1024];
            ByteBuffer mine = ByteBuffer.allocate(buffer.length);
            long began = System.nanoTime();
            inBody[reader].set(0);
            try (InputStream body = c.getInputStream()) {
                for (int n; (n = body.read(buffer)) > 0; ) {
                    mine.clear().limit(n);
                    int got = expected.read(mine, received);
                    if (received + n > file.size()
                            || Arrays.mismatch(buffer, 0, n, mine.array(), 0, Math.max(0, got)) >= 0) {
                        c.disconnect();
                        return "wrong_body";
                    }
                    received += n;
                    inBody[reader].set(received);
                    long wait = began + received * 1_000_000_000L / bytesPerSecond - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000);
                    }
                }
            }
            return received == file.size() ? "ok" : "cut_off";
        } catch (IOException e) {
            return received == 0 && inBody[reader].get() < 0 ? "connect_error(" + e + ")" : "cut_off";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            synchronized (this) {
                readingFrom[reader] = -1;
                inBody[reader].set(-1);
            }
        }
    }

    long count(int origin, String outcome) {
        return reads.stream()
                .filter(r -> (origin < 0 || r.origin() == origin)
                        && (outcome == null || r.outcome().equals(outcome)))
                .count();
    }
}
