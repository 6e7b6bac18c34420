package pomf.registry.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ejb.TimerService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.it.deployments.ConfigInjection;
import pomf.it.deployments.StandIn;
import pomf.jobs.boundary.JobsStandIn;
import pomf.refusals.control.Refusals;
import pomf.registry.entity.Upload;
import pomf.roles.control.Roles;
import pomf.storage.control.BlobStore;
import pomf.storage.control.BlobStores;
import pomf.storage.control.FolderBlobs;

/**
 * The janitor's ticks over a real blob store in a temporary folder, with the registry's rows, removals, takedowns
 * and refusal counts as subclasses that note what they are asked, and the claims of several origins as {@link
 * JobsStandIn}: what is claimed (the expiry sweep, the orphan sweep), what is not (this instance's temporary files
 * and refusal counts), and that a lone origin works as before.
 */
class JanitorTest {
    private static final String ORPHAN = "a".repeat(64);

    @TempDir
    Path storage;

    private final Janitor janitor = new Janitor();
    private final JobsStandIn jobs = new JobsStandIn();
    private final List<String> done = new ArrayList<>();
    private final List<Upload> expired = new ArrayList<>();
    private RuntimeException expiryFailure;

    private FolderBlobs folder;

    @BeforeEach
    void wire() throws IOException {
        folder = new FolderBlobs(storage);
        janitor.blobs = folder;
        janitor.stores = ConfigInjection.inject(new BlobStores(), Map.of("pomf.storage.janitor-interval", "60"));
        janitor.roles = ConfigInjection.inject(new Roles(), Map.of("pomf.roles", "origin"));
        janitor.downloadLimitGrace = "10m";
        janitor.jobs = jobs;
        janitor.registry = new Registry() {
            @Override
            public List<Upload> expired(int limit) {
                if (expiryFailure != null) {
                    throw expiryFailure;
                }
                done.add("expired?");
                List<Upload> batch = List.copyOf(expired);
                expired.clear();
                return batch;
            }

            @Override
            public List<Upload> usedUp(LocalDateTime before, int limit) {
                done.add("used up?");
                return List.of();
            }
        };
        janitor.removal = new Removal() {
            @Override
            public boolean remove(Upload upload, String why) {
                done.add("remove " + upload.getOriginalName() + " (" + why.replaceAll(" at .*", "") + ")");
                return true;
            }

            @Override
            public boolean removeIfOrphan(String sha256) {
                done.add("orphan " + sha256.substring(0, 4));
                return true;
            }
        };
        janitor.takedowns = new Takedowns() {
            @Override
            public void repair() {
                done.add("repair");
            }
        };
        janitor.refusals = new Refusals() {
            @Override
            public void flush() {
                done.add("flush refusals");
            }
        };
        janitor.timers = StandIn.of(TimerService.class, (method, args) -> {
            done.add(method);
            return null;
        });
        Path blob = folder.blob(ORPHAN);
        Files.createDirectories(blob.getParent());
        Files.write(blob, new byte[] {1});
        Files.setLastModifiedTime(blob, FileTime.from(Instant.now().minusSeconds(3600)));
    }

    private static Upload upload(String name) {
        return new Upload(null, name, "token", "192.0.2.1", LocalDateTime.now(), LocalDateTime.now());
    }

    @Test
    void aLoneOriginSweepsOrphansOnItsFirstTickAndExpiresOnEveryTick() {
        expired.add(upload("old.txt"));

        janitor.tick();
        janitor.tick();

        assertThat(done)
                .containsExactly(
                        "orphan aaaa",
                        "expired?",
                        "remove old.txt (expired)",
                        "used up?",
                        "repair",
                        "flush refusals",
                        "expired?",
                        "used up?",
                        "repair",
                        "flush refusals");
        assertThat(jobs.of(Janitor.ORPHANS))
                .as("once, claimed with no interval: every origin's start has its own sweep")
                .containsExactly("claim orphan-sweep PT0S", "keep orphan-sweep", "finish orphan-sweep");
        assertThat(jobs.of(Janitor.EXPIRY))
                .as("claimed for the janitor's interval, kept between batches")
                .containsExactly(
                        "claim expiry-sweep PT1M",
                        "keep expiry-sweep",
                        "finish expiry-sweep",
                        "claim expiry-sweep PT1M",
                        "keep expiry-sweep",
                        "finish expiry-sweep");
    }

    @Test
    void aSharedStoresStaleUploadsAreSweptByOneOriginAnHour() {
        java.util.concurrent.atomic.AtomicInteger swept = new java.util.concurrent.atomic.AtomicInteger();
        BlobStore shared = folder;
        janitor.blobs = pomf.it.deployments.StandIn.of(BlobStore.class, (method, args) -> switch (method) {
            case "shared" -> true;
            case "sweepStale" -> swept.incrementAndGet();
            case "forEachBlob" -> {
                try {
                    shared.forEachBlob((java.time.Instant) args[0], (java.util.function.Consumer<String>) args[1]);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                yield null;
            }
            default -> throw new AssertionError("unexpected call " + method);
        });

        janitor.tick();
        assertThat(swept).hasValue(1);
        assertThat(jobs.of(Janitor.STALE))
                .containsExactly("claim stale-uploads-sweep PT1H", "finish stale-uploads-sweep");

        jobs.elsewhere.add(Janitor.STALE);
        janitor.tick();
        assertThat(swept).as("another origin has it").hasValue(1);
    }

    @Test
    void aFolderHasNoSharedStaleUploadsToSweep() {
        janitor.tick();
        assertThat(jobs.of(Janitor.STALE)).isEmpty();
    }

    @Test
    void whenAnotherOriginHasTheExpirySweepThisOneStillFlushesItsOwnRefusals() {
        jobs.elsewhere.add(Janitor.EXPIRY);
        expired.add(upload("old.txt"));

        janitor.tick();

        assertThat(done).containsExactly("orphan aaaa", "flush refusals");
        assertThat(expired).as("left to the other origin").hasSize(1);
    }

    @Test
    void whileAnotherOriginSweepsOrphansThisOneSweepsOnALaterTick() {
        jobs.elsewhere.add(Janitor.ORPHANS);
        janitor.tick();
        assertThat(done).doesNotContain("orphan aaaa");

        jobs.elsewhere.clear();
        janitor.tick();
        janitor.tick();

        assertThat(done).containsOnlyOnce("orphan aaaa");
        assertThat(jobs.of(Janitor.ORPHANS))
                .containsExactly(
                        "claim orphan-sweep PT0S",
                        "claim orphan-sweep PT0S",
                        "keep orphan-sweep",
                        "finish orphan-sweep");
    }

    @Test
    void aFailedExpirySweepIsFinishedWithItsErrorAndRefusalsAreStillFlushed() {
        expiryFailure = new IllegalStateException("the database went away");

        janitor.tick(); // logs, does not throw

        assertThat(jobs.of(Janitor.EXPIRY))
                .containsExactly(
                        "claim expiry-sweep PT1M", "keep expiry-sweep", "finish expiry-sweep: the database went away");
        assertThat(done).containsExactly("orphan aaaa", "flush refusals");
    }

    @Test
    void theTemporaryFilesAreThisMachinesAndSweptAtStartWithoutAClaim() throws IOException {
        Path temp = Files.createFile(storage.resolve("tmp").resolve("crashed.part"));
        Files.write(temp, new byte[] {1});

        janitor.start();

        assertThat(temp).doesNotExist();
        assertThat(jobs.calls).isEmpty();
        assertThat(done).containsExactly("createIntervalTimer");
    }

    @Test
    void anInstanceThatIsNoOriginDoesNothing() {
        janitor.roles = ConfigInjection.inject(new Roles(), Map.of("pomf.roles", "edge"));

        janitor.start();

        assertThat(done).isEmpty();
        assertThat(jobs.calls).isEmpty();
    }
}
