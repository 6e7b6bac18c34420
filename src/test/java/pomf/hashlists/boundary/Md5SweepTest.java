package pomf.hashlists.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.hashlists.control.HashListSql.Unhashed;
import pomf.hashlists.control.Md5Demand;
import pomf.it.deployments.ConfigInjection;
import pomf.it.deployments.StandIn;
import pomf.jobs.boundary.JobsStandIn;
import pomf.registry.control.EdgePurger;
import pomf.roles.control.Roles;
import pomf.storage.control.FolderBlobs;

/**
 * The MD5 sweep over a real blob store in a temporary folder and an in-memory {@code stored_file} behind a
 * {@link HashLists} subclass that answers as {@code HashListSql}'s statements do: links after an id without MD5 in
 * id order (with another link's MD5 of the same bytes, if any), and noting an MD5 on every link of the bytes,
 * quarantining those a list's MD5 matches.
 */
class Md5SweepTest {
    /** RFC 1321's test suite. */
    private static final String EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";

    private static final String ABC_MD5 = "900150983cd24fb0d6963f7d28e17f72";
    private static final String DIGITS_MD5 = "57edf4a22be3c955ac49da2e2107b67a";
    private static final String DIGITS = "1234567890".repeat(8);

    @TempDir
    Path storage;

    private final Md5Sweep sweep = new Md5Sweep();
    private final Links links = new Links();
    private final List<String> takenDown = new ArrayList<>();
    private final List<String> timers = new ArrayList<>();
    private final JobsStandIn jobs = new JobsStandIn();
    private boolean wanted = true;

    /** A link of {@code stored_file}: its id, name, content and MD5 (null while unknown), and whether banned. */
    static final class Link {
        final long id;
        final String name;
        final String sha256;
        String md5;
        boolean banned;

        Link(long id, String name, String sha256, String md5) {
            this.id = id;
            this.name = name;
            this.sha256 = sha256;
            this.md5 = md5;
        }
    }

    /** {@code stored_file} and the lists' MD5 entries, answering as HashListSql does. */
    static final class Links extends HashLists {
        final Map<Long, Link> byId = new TreeMap<>();
        final Set<String> listedMd5 = new HashSet<>();
        final List<String> reads = new ArrayList<>();
        final List<String> noted = new ArrayList<>();
        Runnable onRead = () -> {};

        void add(long id, String name, String sha256, String md5) {
            byId.put(id, new Link(id, name, sha256, md5));
        }

        @Override
        public List<Unhashed> withoutMd5(long after, int limit) {
            reads.add(after + "/" + limit);
            onRead.run();
            return byId.values().stream()
                    .filter(l -> l.id > after && l.md5 == null)
                    .limit(limit)
                    .map(l -> new Unhashed(
                            l.id,
                            l.sha256,
                            byId.values().stream()
                                    .filter(o -> o.sha256.equals(l.sha256) && o.md5 != null)
                                    .map(o -> o.md5)
                                    .findFirst()
                                    .orElse(null)))
                    .toList();
        }

        @Override
        public List<String> hashedMd5(String sha256, String md5) {
            noted.add(sha256 + "=" + md5);
            List<String> quarantined = new ArrayList<>();
            for (Link l : byId.values()) {
                if (l.sha256.equals(sha256) && l.md5 == null) {
                    l.md5 = md5;
                }
                if (l.sha256.equals(sha256) && listedMd5.contains(l.md5) && !l.banned) {
                    l.banned = true;
                    quarantined.add(l.name);
                }
            }
            return quarantined;
        }
    }

    private FolderBlobs folder;

    @BeforeEach
    void wire() {
        sweep.lists = links;
        folder = new FolderBlobs(storage);
        sweep.blobs = folder;
        sweep.demand = new Md5Demand() {
            @Override
            public boolean wanted() {
                return wanted;
            }
        };
        sweep.edges = new EdgePurger() {
            @Override
            public void takeDown(String name) {
                takenDown.add(name);
            }

            @Override
            public void purge(String name) {
                throw new AssertionError("the sweep only takes down");
            }
        };
        sweep.roles = roles("origin");
        sweep.jobs = jobs;
        sweep.timers = StandIn.of(TimerService.class, (method, args) -> {
            TimerConfig config = (TimerConfig) args[args.length - 1];
            List<Object> times = java.util.Arrays.asList(args).subList(0, args.length - 1);
            timers.add(method + " " + times + " " + config.getInfo() + (config.isPersistent() ? " persistent" : ""));
            return null;
        });
        sweep.intervalSeconds = 60;
    }

    private static Roles roles(String roles) {
        return ConfigInjection.inject(new Roles(), Map.of("pomf.roles", roles));
    }

    /** Stores {@code content} as a blob under a made-up SHA-256 (the sweep trusts the store's addressing). */
    private String blob(String sha256, byte[] content) throws IOException {
        Path blob = folder.blob(sha256);
        Files.createDirectories(blob.getParent());
        Files.write(blob, content);
        return sha256;
    }

    private static String md5(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            long[] read = new long[1];
            String md5 = Md5Sweep.md5(in, read);
            assertThat(read[0]).isEqualTo(Files.size(file));
            return md5;
        }
    }

    private static String sha(int n) {
        return String.format("%064x", n);
    }

    private static String md5Of(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    @Test
    void theMd5OfABlobIsRfc1321s() throws IOException {
        Path empty = Files.write(storage.resolve("empty"), new byte[0]);
        Path abc = Files.writeString(storage.resolve("abc"), "abc", StandardCharsets.US_ASCII);
        Path digits = Files.writeString(storage.resolve("digits"), DIGITS, StandardCharsets.US_ASCII);

        assertThat(md5(empty)).isEqualTo(EMPTY_MD5);
        assertThat(md5(abc)).isEqualTo(ABC_MD5);
        assertThat(md5(digits)).isEqualTo(DIGITS_MD5);
    }

    @Test
    void aBlobLargerThanTheReadBufferIsHashedWhole() throws Exception {
        byte[] bytes = new byte[(3 << 16) + 12_345];
        new Random(15).nextBytes(bytes);
        Path big = Files.write(storage.resolve("big"), bytes);

        assertThat(md5(big)).isEqualTo(md5Of(bytes));
    }

    @Test
    void nothingIsSweptWhileNoListHasMd5Entries() throws IOException {
        wanted = false;
        links.add(1, "a.txt", blob(sha(1), "abc".getBytes(StandardCharsets.US_ASCII)), null);

        sweep.tick();

        assertThat(links.reads).isEmpty();
        assertThat(links.byId.get(1L).md5).isNull();
    }

    @Test
    void linksWithoutMd5AreHashedAndWhatTheListsMatchIsTakenDown() throws IOException {
        links.add(1, "a.txt", blob(sha(1), "abc".getBytes(StandardCharsets.US_ASCII)), null);
        links.add(2, "e.bin", blob(sha(2), new byte[0]), null);
        links.add(3, "d.txt", blob(sha(3), DIGITS.getBytes(StandardCharsets.US_ASCII)), null);
        links.listedMd5.add(ABC_MD5);
        links.listedMd5.add(DIGITS_MD5);

        sweep.tick();

        assertThat(links.noted)
                .containsExactly(sha(1) + "=" + ABC_MD5, sha(2) + "=" + EMPTY_MD5, sha(3) + "=" + DIGITS_MD5);
        assertThat(takenDown).containsExactly("a.txt", "d.txt");
        assertThat(links.reads).containsExactly("0/200");
    }

    @Test
    void anotherLinksMd5OfTheSameBytesIsUsedInsteadOfReadingTheBlob() throws IOException {
        // The blob's bytes are not those the known MD5 is of: which MD5 is noted tells whether the blob was read.
        String sha = blob(sha(7), "not abc".getBytes(StandardCharsets.US_ASCII));
        links.add(5, "old.txt", sha, ABC_MD5);
        links.add(6, "new.txt", sha, null);
        links.listedMd5.add(ABC_MD5);

        sweep.tick();

        assertThat(links.noted).containsExactly(sha + "=" + ABC_MD5);
        assertThat(takenDown).containsExactly("old.txt", "new.txt");
    }

    @Test
    void twoLinksOfTheSameBytesInOneBatchReadTheBlobOnce() throws IOException {
        String sha = blob(sha(4), "abc".getBytes(StandardCharsets.US_ASCII));
        links.add(1, "first.txt", sha, null);
        links.add(2, "second.txt", sha, null);
        links.listedMd5.add(ABC_MD5);

        sweep.tick();

        assertThat(links.noted)
                .as("the content's MD5 noted once, for both links")
                .containsExactly(sha + "=" + ABC_MD5);
        assertThat(links.byId.get(2L).md5).isEqualTo(ABC_MD5);
        assertThat(takenDown).containsExactly("first.txt", "second.txt");
    }

    @Test
    void aLinkWhoseBlobIsMissingIsPassedOverAndTheOthersStillHashed() throws IOException {
        links.add(1, "gone.txt", sha(1), null); // no blob
        links.add(2, "here.txt", blob(sha(2), "abc".getBytes(StandardCharsets.US_ASCII)), null);

        sweep.tick();

        assertThat(links.noted).containsExactly(sha(2) + "=" + ABC_MD5);
        assertThat(links.byId.get(1L).md5).isNull();

        // The next tick starts after it: a missing blob is not looked for again every minute.
        sweep.tick();
        assertThat(links.reads).containsExactly("0/200", "2/200");
    }

    @Test
    void aBlobThatCannotBeReadIsPassedOverToo() throws IOException {
        Files.createDirectories(folder.blob(sha(1))); // a folder where the blob should be: reading it fails
        links.add(1, "odd.txt", sha(1), null);
        links.add(2, "fine.txt", blob(sha(2), new byte[0]), null);

        sweep.tick();

        assertThat(links.noted).containsExactly(sha(2) + "=" + EMPTY_MD5);
        assertThat(links.byId.get(1L).md5).isNull();
        sweep.tick();
        assertThat(links.reads).containsExactly("0/200", "2/200");
    }

    @Test
    void linksArePagedTwoHundredAtATimeFromTheLastOneSeen() {
        // Links whose blobs are all missing keep their MD5 unknown: only the id passed on moves the sweep forward.
        for (int i = 1; i <= 450; i++) {
            links.add(i * 10L, "l" + i, sha(i), null);
        }

        sweep.tick();

        assertThat(links.reads).containsExactly("0/200", "2000/200", "4000/200");
    }

    @Test
    void aFullLastPageIsFollowedByOneMoreRead() {
        for (int i = 1; i <= 200; i++) {
            links.add(i, "l" + i, sha(i), null);
        }

        sweep.tick();

        assertThat(links.reads).containsExactly("0/200", "200/200");
    }

    @Test
    void theNextTickGoesOnFromWhereTheLastEnded() throws IOException {
        links.add(1, "a.txt", blob(sha(1), "abc".getBytes(StandardCharsets.US_ASCII)), null);
        sweep.tick();

        links.add(9, "b.txt", blob(sha(9), new byte[0]), null);
        sweep.tick();

        assertThat(links.reads).containsExactly("0/200", "1/200");
        assertThat(links.noted).containsExactly(sha(1) + "=" + ABC_MD5, sha(9) + "=" + EMPTY_MD5);
    }

    @Test
    void aFailedSweepIsLoggedAndTheNextGoesOnFromTheLastLinkDone() throws IOException {
        links.add(1, "a.txt", blob(sha(1), "abc".getBytes(StandardCharsets.US_ASCII)), null);
        links.add(2, "b.txt", blob(sha(2), new byte[0]), null);
        links.add(3, "c.txt", blob(sha(3), DIGITS.getBytes(StandardCharsets.US_ASCII)), null);
        links.listedMd5.add(EMPTY_MD5);
        // During the first tick, noting fails from the second link on (the database went away).
        HashLists failing = new HashLists() {
            @Override
            public List<Unhashed> withoutMd5(long after, int limit) {
                return links.withoutMd5(after, limit);
            }

            @Override
            public List<String> hashedMd5(String sha256, String md5) {
                if (!links.noted.isEmpty()) {
                    links.noted.add("failed " + sha256);
                    throw new IllegalStateException("the MD5 could not be noted");
                }
                return links.hashedMd5(sha256, md5);
            }
        };
        sweep.lists = failing;

        sweep.tick(); // does not throw

        sweep.lists = links;
        sweep.tick();

        assertThat(links.reads).containsExactly("0/200", "1/200");
        assertThat(links.noted)
                .containsExactly(
                        sha(1) + "=" + ABC_MD5,
                        "failed " + sha(2),
                        sha(2) + "=" + EMPTY_MD5,
                        sha(3) + "=" + DIGITS_MD5);
        assertThat(takenDown).containsExactly("b.txt");
    }

    @Test
    void aTickWhileOneIsRunningDoesNothing() throws IOException {
        links.add(1, "a.txt", blob(sha(1), "abc".getBytes(StandardCharsets.US_ASCII)), null);
        links.onRead = () -> {
            if (links.reads.size() == 1) {
                sweep.tick(); // as the timer would, were the sweep still running at the next interval
            }
        };

        sweep.tick();

        assertThat(links.reads).containsExactly("0/200");
        assertThat(links.noted).containsExactly(sha(1) + "=" + ABC_MD5);

        sweep.tick(); // and once it is over, the next runs
        assertThat(links.reads).containsExactly("0/200", "1/200");
    }

    @Test
    void aSweepIsClaimedForTheIntervalKeptAsItGoesAndFinished() throws IOException {
        links.add(1, "a.txt", blob(sha(1), "abc".getBytes(StandardCharsets.US_ASCII)), null);

        sweep.tick();

        assertThat(jobs.calls).containsExactly("claim md5-sweep PT1M", "keep md5-sweep", "finish md5-sweep");
    }

    @Test
    void whileAnotherOriginHasTheSweepThisOneReadsNothing() throws IOException {
        links.add(1, "a.txt", blob(sha(1), "abc".getBytes(StandardCharsets.US_ASCII)), null);
        jobs.elsewhere.add(Md5Sweep.JOB);

        sweep.tick();

        assertThat(links.reads).isEmpty();
        assertThat(links.byId.get(1L).md5).isNull();
    }

    @Test
    void nothingIsClaimedWhileNoListHasMd5Entries() {
        wanted = false;

        sweep.tick();

        assertThat(jobs.calls).isEmpty();
    }

    @Test
    void aKickIsClaimedWithNoIntervalAndTheTimersTicksWithTheirs() {
        sweep.intervalSeconds = 90;
        sweep.timeout(timer("MD5 sweep now"));
        sweep.timeout(timer("MD5 sweep"));

        assertThat(jobs.calls)
                .containsExactly(
                        "claim md5-sweep PT0S", "finish md5-sweep", "claim md5-sweep PT1M30S", "finish md5-sweep");
    }

    @Test
    void aFailedSweepIsFinishedWithItsError() {
        links.add(1, "gone.txt", sha(1), null);
        links.onRead = () -> {
            throw new IllegalStateException("the database went away");
        };

        sweep.tick();

        assertThat(jobs.calls).containsExactly("claim md5-sweep PT1M", "finish md5-sweep: the database went away");
    }

    private static Timer timer(String info) {
        return StandIn.of(Timer.class, (method, args) -> {
            assertThat(method).isEqualTo("getInfo");
            return info;
        });
    }

    @Test
    void anOriginSweepsEveryIntervalAndAtOnceWhenKicked() {
        sweep.intervalSeconds = 90;
        sweep.start();
        sweep.kick();

        assertThat(timers)
                .containsExactly(
                        "createIntervalTimer [90000, 90000] MD5 sweep", "createSingleActionTimer [1] MD5 sweep now");
    }

    @Test
    void anIntervalBelowOneSecondIsOneSecond() {
        sweep.intervalSeconds = 0;
        sweep.start();
        sweep.intervalSeconds = -5;
        sweep.start();

        assertThat(timers)
                .containsExactly(
                        "createIntervalTimer [1000, 1000] MD5 sweep", "createIntervalTimer [1000, 1000] MD5 sweep");
    }

    @Test
    void onlyAnOriginSweeps() {
        for (String roles : List.of("admin", "witness", "edge", "admin,witness")) {
            sweep.roles = roles(roles);
            sweep.start();
            sweep.kick();
        }
        assertThat(timers).isEmpty();
    }
}
