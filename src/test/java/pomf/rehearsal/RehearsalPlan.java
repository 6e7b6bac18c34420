package pomf.rehearsal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How big and how long a rehearsal is. {@link #quick()} is the version CI runs through {@code mvn verify} (small files,
 * about two minutes of load); {@link #full()} is the operator's bad day at the scale one machine can carry (files up
 * to hundreds of MiB, the origin down for a whole minute).
 *
 * @param fileSizes the library, in bytes; the largest is the "video" of the spike
 * @param steadyRate requests per second of the usual load; the spike is {@code spikeFactor} times that
 * @param threads client threads (enough for the spike's rate with the largest file's seeks in flight)
 * @param phase how long each load phase lasts (steady, spike, after a fault)
 * @param originDown how long the origin stays stopped before it is started again
 * @param databaseDown how long PostgreSQL stays stopped while uploads are tried
 * @param bucket the two-origin variant on an S3 bucket ({@link #quickOnBucket()}), or null for the plan of one origin
 */
public record RehearsalPlan(
        String name,
        List<Long> fileSizes,
        double steadyRate,
        double spikeFactor,
        double spikeFocus,
        int threads,
        Duration phase,
        Duration originDown,
        Duration databaseDown,
        long edgeCacheBytes,
        Bucket bucket) {

    /**
     * The bucket variant's own figures: uploads that keep coming on both origins while origin A is killed (large ones,
     * so that multipart uploads are in flight), and the pace of those uploads and of the direct downloads from the
     * origins, slow enough that some are always in flight when the kill comes.
     *
     * @param uploadSizes the files uploaded under load, in turn (seeded content like the library's)
     * @param uploaders uploads in flight at once
     * @param bytesPerSecond the pace of each upload and each direct download
     * @param staleAfter {@code pomf.storage.s3.stale-after}: the start sweep takes staged uploads older than this
     */
    public record Bucket(List<Long> uploadSizes, int uploaders, long bytesPerSecond, Duration staleAfter) {
        public Bucket {
            uploadSizes = List.copyOf(uploadSizes);
        }
    }

    public RehearsalPlan {
        fileSizes = List.copyOf(fileSizes);
        if (fileSizes.size() < 3) {
            throw new IllegalArgumentException("a library needs at least three files");
        }
    }

    /** About two minutes of load on 24 files of 1 KiB to 8 MiB. */
    public static RehearsalPlan quick() {
        return new RehearsalPlan(
                "quick",
                sizes(24, 1_024, 2L << 20, 8L << 20, 7),
                40,
                4,
                0.5,
                24,
                Duration.ofSeconds(12),
                Duration.ofSeconds(15),
                Duration.ofSeconds(4),
                256L << 20,
                null);
    }

    /** 118 files of 4 KiB to 64 MiB and a 400 MiB video (1.05 GiB); the origin down for a minute. */
    public static RehearsalPlan full() {
        List<Long> sizes = new ArrayList<>(sizes(119, 4_096, 64L << 20, 400L << 20, 11));
        return new RehearsalPlan(
                "full",
                sizes,
                15,
                4,
                0.5,
                48,
                Duration.ofSeconds(45),
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                4L << 30,
                null);
    }

    /**
     * Two origins on one S3 bucket (issue 16), the quick plan's library: origin A killed with kill -9 while uploads of
     * 6 to 20 MiB (multipart, 5 MiB parts) and direct downloads run on both, down 15 s, then started again. Short
     * enough for CI.
     */
    public static RehearsalPlan quickOnBucket() {
        RehearsalPlan quick = quick();
        return new RehearsalPlan(
                "bucket",
                quick.fileSizes(),
                quick.steadyRate(),
                quick.spikeFactor(),
                quick.spikeFocus(),
                quick.threads(),
                quick.phase(),
                Duration.ofSeconds(15),
                Duration.ZERO,
                quick.edgeCacheBytes(),
                new Bucket(sizes(13, 6L << 20, 20L << 20, 12L << 20, 17), 3, 4L << 20, Duration.ofMinutes(1)));
    }

    /**
     * The full plan's library on two origins and a bucket; uploads of 16 to 160 MiB under load, origin A down for 70 s
     * (longer than stale-after, so its first start already sweeps what the kill left staged).
     */
    public static RehearsalPlan fullOnBucket() {
        RehearsalPlan full = full();
        return new RehearsalPlan(
                "bucket-full",
                full.fileSizes(),
                full.steadyRate(),
                full.spikeFactor(),
                full.spikeFocus(),
                full.threads(),
                full.phase(),
                Duration.ofSeconds(70),
                Duration.ZERO,
                full.edgeCacheBytes(),
                new Bucket(sizes(25, 16L << 20, 160L << 20, 96L << 20, 19), 4, 8L << 20, Duration.ofMinutes(1)));
    }

    public boolean onBucket() {
        return bucket != null;
    }

    public static RehearsalPlan named(String name) {
        return switch (name) {
            case "quick", "short" -> quick();
            case "full" -> full();
            case "bucket" -> quickOnBucket();
            case "bucket-full" -> fullOnBucket();
            default ->
                throw new IllegalArgumentException(
                        "no rehearsal named " + name + " (quick, full, bucket or bucket-full)");
        };
    }

    /**
     * {@code count - 1} sizes spread log-uniformly from {@code smallest} to {@code largest} (as uploads are: many small
     * images, fewer large clips), shuffled so popularity does not follow size, then the video of {@code video} bytes.
     */
    static List<Long> sizes(int count, long smallest, long largest, long video, long seed) {
        Random random = new Random(seed);
        List<Long> sizes = new ArrayList<>();
        double low = Math.log(smallest);
        double high = Math.log(largest);
        for (int i = 0; i < count - 1; i++) {
            sizes.add((long) Math.exp(low + random.nextDouble() * (high - low)));
        }
        java.util.Collections.shuffle(sizes, random);
        sizes.add(video);
        return sizes;
    }

    public long libraryBytes() {
        return fileSizes.stream().mapToLong(Long::longValue).sum();
    }
}
