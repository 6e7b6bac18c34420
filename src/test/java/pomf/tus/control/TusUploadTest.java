package pomf.tus.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.storage.control.ContentSink;

class TusUploadTest {
    private static final Instant WINDOW_END = Instant.parse("2026-11-02T10:00:00Z");

    @TempDir
    Path folder;

    private TusUpload upload(String id) {
        return new TusUpload(id, 1_048_576, "clip.mp4", "1d", "3", "203.0.113.9", WINDOW_END, folder);
    }

    @Test
    void itsBytesAndItsDescriptionAreFilesNamedByItsIdInItsFolder() {
        TusUpload upload = upload("0f3a9c");

        assertThat(upload.data()).isEqualTo(folder.resolve("0f3a9c.bin"));
        assertThat(upload.info()).isEqualTo(folder.resolve("0f3a9c.info"));
        assertThat(upload.data().getParent()).isEqualTo(folder);
        assertThat(upload("other").data()).isNotEqualTo(upload.data());
        // Nothing is made on disk by describing an upload.
        assertThat(Files.exists(upload.data())).isFalse();
        assertThat(Files.exists(upload.info())).isFalse();
    }

    @Test
    void itKeepsWhatTheFormWouldHaveCarried() {
        TusUpload upload = upload("a");

        assertThat(upload.id()).isEqualTo("a");
        assertThat(upload.length()).isEqualTo(1_048_576);
        assertThat(upload.filename()).isEqualTo("clip.mp4");
        assertThat(upload.expiry()).isEqualTo("1d");
        assertThat(upload.maxDownloads()).isEqualTo("3");
        assertThat(upload.address()).isEqualTo("203.0.113.9");
        assertThat(upload.expires()).isEqualTo(WINDOW_END);

        upload.expires(WINDOW_END.plusSeconds(3600));
        assertThat(upload.expires()).isEqualTo(Instant.parse("2026-11-02T11:00:00Z"));
    }

    @Test
    void oneRequestAtATimeHoldsItUntilItReleasesIt() {
        TusUpload upload = upload("a");

        assertThat(upload.claim()).isTrue();
        assertThat(upload.claim()).isFalse();
        assertThat(upload.claim()).isFalse();
        upload.release();
        assertThat(upload.claim()).isTrue();
    }

    @Test
    void ofManyRequestsClaimingAtOnceExactlyOneGetsIt() throws Exception {
        TusUpload upload = upload("a");
        int requests = 16;
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                claims.add(pool.submit(() -> {
                    go.await();
                    return upload.claim();
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> claim : claims) {
                won += claim.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void releasingForgetsTheWriter() {
        TusUpload upload = upload("a");
        TusUpload.Writer writer = new TusUpload.Writer() {
            @Override
            public long idleNanos() {
                return 0;
            }

            @Override
            public void abandon() {}

            @Override
            public long received() {
                return -1;
            }
        };
        assertThat(upload.writer()).isNull();

        upload.claim();
        upload.writing(writer);
        assertThat(upload.writer()).isSameAs(writer);

        upload.release();
        assertThat(upload.writer()).isNull();
    }

    @Test
    void droppingTheSinkClosesItAndKeepsTheFile() throws IOException {
        TusUpload upload = upload("a");
        upload.dropSink(); // none yet: nothing to do
        Files.write(upload.data(), new byte[] {1, 2, 3});
        ExecutorService hashing = Executors.newSingleThreadExecutor();
        try {
            ContentSink sink = new ContentSink(upload.data(), hashing, hashing);
            upload.sink(sink);
            assertThat(upload.sink()).isSameAs(sink);

            upload.dropSink();

            assertThat(upload.sink()).isNull();
            assertThatThrownBy(sink::finish).as("a closed sink").isInstanceOf(IOException.class);
            assertThat(Files.readAllBytes(upload.data())).containsExactly(1, 2, 3);
            upload.dropSink(); // again: nothing to do
            assertThat(upload.sink()).isNull();
        } finally {
            hashing.shutdownNow();
        }
    }
}
