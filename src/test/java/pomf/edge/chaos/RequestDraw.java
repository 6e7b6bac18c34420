package pomf.edge.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What a chaos client asks next, drawn from its own seeded random: whole reads, single ranges (closed, open, suffix,
 * near chunk boundaries, unsatisfiable), series of seeks far into the large object, conditional reads with current,
 * old and foreign ETags, If-Range, and reads abandoned half-way.
 */
final class RequestDraw {
    /** The default chunk and the small one the runs use: ranges that start or end near their boundaries. */
    private static final long[] CHUNKS = {1_047_552, 65_537};

    private final ChaosCatalogue catalogue;
    private final OriginLedger ledger;

    RequestDraw(ChaosCatalogue catalogue, OriginLedger ledger) {
        this.catalogue = catalogue;
        this.ledger = ledger;
    }

    /** One request, or a series (seeks) sent one after the other on one connection. */
    List<ChaosRequest> next(Random random) {
        int roll = random.nextInt(100);
        String path = catalogue.pick(random);
        long size = catalogue.size(path);
        if (roll < 36) {
            return List.of(ChaosRequest.whole("whole", path));
        } else if (roll < 52) {
            return List.of(ChaosRequest.range("range", path, closed(random, size)));
        } else if (roll < 57) {
            return List.of(open(random, path, size));
        } else if (roll < 62) {
            return List.of(ChaosRequest.range(
                    "suffix", path, Span.suffix(1 + random.nextInt((int) Math.min(size + 10, 3_000_000)))));
        } else if (roll < 72) {
            return seeks(random);
        } else if (roll < 80) {
            return List.of(ChaosRequest.whole("if-none-match", path).ifNoneMatch(tags(random, path)));
        } else if (roll < 88) {
            String tag = random.nextInt(10) < 6 ? latest(path) : older(random, path);
            return List.of(
                    ChaosRequest.range("if-range", path, closed(random, size)).ifRange(tag));
        } else if (roll < 93) {
            return List.of(
                    ChaosRequest.whole("abandoned", path).abandoningAfter(1 + (long) (random.nextDouble() * size)));
        } else if (roll < 96) {
            return List.of(ChaosRequest.range("unsatisfiable", path, Span.from(size + random.nextInt(1000))));
        } else if (roll < 99 || random.nextInt(4) > 0) {
            return List.of(ChaosRequest.whole("unknown name", "/f/none" + random.nextInt(1000) + ".bin"));
        } else {
            // Rare (1 in 400): the whole large object moves tens of MiB, mostly abandoned on the way.
            ChaosRequest whole = ChaosRequest.whole("large whole", catalogue.large());
            long large = catalogue.size(catalogue.large());
            return List.of(
                    random.nextInt(4) == 0 ? whole : whole.abandoningAfter((long) (random.nextDouble() * large)));
        }
    }

    /** first-last within the object; a quarter of them around a chunk boundary, most of them short. */
    private static Span closed(Random random, long size) {
        long first = (long) (random.nextDouble() * Math.max(1, size));
        if (random.nextInt(4) == 0 && size > CHUNKS[1]) {
            long chunk = CHUNKS[random.nextInt(CHUNKS.length)];
            long boundary = chunk * (1 + random.nextInt((int) Math.max(1, size / chunk)));
            first = Math.max(0, Math.min(size - 1, boundary - 2 + random.nextInt(5)));
        }
        long longest = random.nextInt(4) > 0 ? 64 * 1024 : Math.max(1, size - first);
        return Span.closed(first, first + (long) (random.nextDouble() * longest));
    }

    private static ChaosRequest open(Random random, String path, long size) {
        ChaosRequest open = ChaosRequest.range("open range", path, Span.from((long) (random.nextDouble() * size)));
        return size > 8_500_000 ? open.abandoningAfter(1 + random.nextInt(2 << 20)) : open;
    }

    /** A video player: two to four jumps into the large object, some reading on until the viewer jumps again. */
    private List<ChaosRequest> seeks(Random random) {
        String path = catalogue.large();
        long size = catalogue.size(path);
        List<ChaosRequest> seeks = new ArrayList<>();
        for (int i = 2 + random.nextInt(3); i > 0; i--) {
            long first = (long) (random.nextDouble() * size);
            seeks.add(
                    random.nextInt(3) == 0
                            ? ChaosRequest.range("seek", path, Span.from(first))
                                    .abandoningAfter(1 + random.nextInt(1 << 19))
                            : ChaosRequest.range("seek", path, Span.closed(first, first + random.nextInt(1 << 19))));
        }
        return seeks;
    }

    private List<String> tags(Random random, String path) {
        int roll = random.nextInt(20);
        if (roll < 10) {
            return List.of(latest(path));
        } else if (roll < 14) {
            return List.of(older(random, path));
        } else if (roll < 17) {
            return List.of("\"not-a-version\"");
        }
        return List.of(older(random, path), latest(path));
    }

    private String latest(String path) {
        List<Version> versions = ledger.versions(path);
        return versions.get(versions.size() - 1).etag();
    }

    private String older(Random random, String path) {
        List<Version> versions = ledger.versions(path);
        return versions.get(random.nextInt(versions.size())).etag();
    }
}
