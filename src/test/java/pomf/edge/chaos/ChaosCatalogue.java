package pomf.edge.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import pomf.it.origin.TestOrigin;
import pomf.it.origin.TestOriginObject;

/**
 * The objects of a chaos run at the test origin, and the only way they change: uploads, re-uploads (a new version:
 * new bytes, a new ETag, sometimes a new size), removals and re-additions, each recorded in the {@link OriginLedger}
 * as one step with the change itself. Sizes sit on the edges that matter: empty, one byte, around the edge's chunk
 * (default and small), several chunks, and one large object for seeks.
 */
final class ChaosCatalogue {
    private final TestOrigin origin;
    private final OriginLedger ledger;
    private final List<String> paths = new ArrayList<>();
    private final Map<String, Integer> weights = new ConcurrentHashMap<>();
    private final int totalWeight;
    private final String large;
    private final int errorPageLength;

    /** Uploads one object per size (the last one is the large object for seeks), with salts from {@code random}. */
    ChaosCatalogue(TestOrigin origin, OriginLedger ledger, List<Long> sizes, int errorPageLength, Random random) {
        this.origin = origin;
        this.ledger = ledger;
        this.errorPageLength = errorPageLength;
        int total = 0;
        for (int i = 0; i < sizes.size(); i++) {
            long size = sizes.get(i);
            String path = "/f/k" + i + "s" + size + ".bin";
            paths.add(path);
            // Small objects are asked for most, as on a real file host; large ones still often enough to fill.
            int weight = size <= 100_000 ? 20 : size <= 2_200_000 ? 4 : 1;
            weights.put(path, weight);
            total += weight;
            upload(path, size, random.nextLong());
        }
        this.totalWeight = total;
        this.large = paths.get(paths.size() - 1);
    }

    List<String> paths() {
        return List.copyOf(paths);
    }

    /** The large object that seeks go to. */
    String large() {
        return large;
    }

    /** An object by popularity; deleted ones too (clients do not know they are gone). */
    String pick(Random random) {
        int at = random.nextInt(totalWeight);
        for (String path : paths) {
            at -= weights.get(path);
            if (at < 0) {
                return path;
            }
        }
        throw new IllegalStateException();
    }

    boolean present(String path) {
        return ledger.current(path) != null;
    }

    /** The size a client would believe: the latest version's, also while the object is gone. */
    long size(String path) {
        List<Version> versions = ledger.versions(path);
        return versions.get(versions.size() - 1).size();
    }

    /** A new version: new bytes, usually the same size, sometimes a size near it (never the error page's). */
    Version reupload(String path, Random random) {
        long size = size(path);
        if (random.nextInt(10) < 3) {
            size = Math.max(0, size + (long) ((random.nextDouble() - 0.5) * 0.2 * size) + random.nextInt(3) - 1);
        }
        return upload(path, size == errorPageLength ? size + 1 : size, random.nextLong());
    }

    /** Removes the object from the origin (404 from then on). */
    void remove(String path) {
        ledger.change(() -> {
            ledger.removed(path);
            origin.remove(path);
            return null;
        });
    }

    /** Brings a removed object back as a new object (new ETag series, new bytes). */
    Version readd(String path, Random random) {
        return upload(path, size(path), random.nextLong());
    }

    private Version upload(String path, long size, long salt) {
        return ledger.change(() -> {
            // The origin's default type: a type set after the upload would race with the first requests for it.
            TestOriginObject object = origin.putGenerated(path, size, salt);
            Version version = new Version(
                    path, object.etag(), object.lastModified(), size, salt, object.contentType(), System.nanoTime());
            ledger.served(version);
            return version;
        });
    }
}
