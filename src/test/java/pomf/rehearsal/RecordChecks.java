package pomf.rehearsal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import pomf.it.load.CatalogueFile;
import pomf.run.EmbeddedDatabase;

/**
 * The checks of what the system wrote down: every upload in the registry once with its bytes on disk and nothing of
 * the refused ones, the witnesses' decisions (one per tick, one kill and one revival of the right edge), and the
 * traffic records matching exactly what the clients received.
 */
final class RecordChecks extends Evidence {
    RecordChecks(Of evidence) {
        super(evidence);
    }

    void registry() throws SQLException, IOException {
        List<CatalogueFile> files = library.files();
        int found = 0;
        int servedByOrigin = 0;
        for (CatalogueFile file : files) {
            found += (int)
                    count("select count(*) from stored_file where sha256 = ? and size = ?", file.sha256(), file.size());
            servedByOrigin += warmer.fetch("127.0.0.1", Stage.ORIGIN_PORT, file) ? 1 : 0;
        }
        for (String sha256 : faults.otherFormatsStored) {
            found += (int) count("select count(*) from stored_file where sha256 = ?", sha256);
        }
        int uploads = files.size() + faults.otherFormatsStored.size();
        long rows = count("select count(*) from stored_file");
        checks.check(
                "every upload in the registry",
                found == uploads && rows == uploads,
                found + " of " + uploads + " found by SHA-256 (and size); " + rows + " rows",
                "all, and no other row");
        checks.check(
                "every upload served whole by the origin",
                servedByOrigin == files.size(),
                servedByOrigin + " of " + files.size(),
                "all");
        long refusedRows = 0;
        for (Faults.Attempt attempt : faults.attempts) {
            if (!attempt.answer().ok()) {
                refusedRows += count("select count(*) from stored_file where sha256 = ?", attempt.sha256());
            }
        }
        Set<String> blobs = blobs(stage.config.storage(0).resolve("blobs"));
        Set<String> registered = new HashSet<>(faults.otherFormatsStored);
        for (CatalogueFile file : files) {
            registered.add(file.sha256());
        }
        long partial = countFiles(stage.config.storage(0).resolve("tmp"));
        checks.check(
                "nothing left of the refused uploads",
                refusedRows == 0 && blobs.equals(registered) && partial == 0,
                refusedRows + " rows, " + blobs.size() + " blobs for " + registered.size() + " files, " + partial
                        + " partial files",
                "0 rows, one blob per file, 0 partial");
    }

    /**
     * The bucket variant's registry against the bucket, once A's start swept the kill's leftovers: every upload the
     * client was told succeeded has its row (once, but for an upload whose try on A was cut after A committed it:
     * the client never saw that link and sent the file again); every row's blob is in the bucket with its size, and
     * every blob has a row; nothing staged is left; every upload served whole by both origins.
     */
    void bucket() throws Exception {
        Map<String, Integer> told = new HashMap<>();
        Map<String, Integer> cut = new HashMap<>();
        Map<String, Long> sizes = new HashMap<>();
        for (CatalogueFile file : library.files()) {
            sizes.put(file.sha256(), file.size());
        }
        // The library's uploads (all told 200) and those under load (told what their last try got).
        for (CatalogueFile file : library.files()) {
            told.merge(file.sha256(), 1, Integer::sum);
        }
        for (BucketFaults.Upload upload : bucket.uploads) {
            sizes.put(upload.sha256(), upload.size());
            told.putIfAbsent(upload.sha256(), 0);
            long reached = upload.result().attempts().stream()
                    .filter(a -> a.status() == 0 && a.reached())
                    .count();
            cut.merge(upload.sha256(), (int) reached, Integer::sum);
        }
        Map<String, Long> rows = new HashMap<>();
        Map<String, Long> rowSizes = new HashMap<>();
        try (Connection c = connect();
                PreparedStatement statement = c.prepareStatement("select sha256, size from stored_file");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.merge(rs.getString(1), 1L, Long::sum);
                rowSizes.put(rs.getString(1), rs.getLong(2));
            }
        }
        long lost = 0;
        long twice = 0;
        long unacknowledged = 0;
        long unknown = 0;
        for (Map.Entry<String, Long> e : rows.entrySet()) {
            if (!sizes.containsKey(e.getKey())) {
                unknown += e.getValue();
            }
        }
        for (Map.Entry<String, Long> e : sizes.entrySet()) {
            long n = rows.getOrDefault(e.getKey(), 0L);
            int acknowledged = told.getOrDefault(e.getKey(), 0);
            int mayHaveCommitted = cut.getOrDefault(e.getKey(), 0);
            if (n < acknowledged) {
                lost += acknowledged - n;
            }
            twice += Math.max(0, n - acknowledged - mayHaveCommitted);
            unacknowledged += Math.max(0, Math.min(n - acknowledged, mayHaveCommitted));
        }
        long total = rows.values().stream().mapToLong(Long::longValue).sum();
        checks.check(
                "every upload told success in the registry, none twice",
                lost == 0 && twice == 0 && unknown == 0,
                String.format(
                        "%d rows for %d uploads told 200; %d lost, %d twice, %d unknown; %d from a try on A cut after"
                                + " its commit",
                        total,
                        told.values().stream().mapToInt(Integer::intValue).sum(),
                        lost,
                        twice,
                        unknown,
                        unacknowledged),
                "0 lost, 0 twice (a cut try may have committed)");
        Map<String, Long> blobs = bucket.blobs();
        List<String> missing = new ArrayList<>();
        List<String> wrongSize = new ArrayList<>();
        for (Map.Entry<String, Long> e : rowSizes.entrySet()) {
            Long size = blobs.get(e.getKey());
            if (size == null) {
                missing.add(e.getKey().substring(0, 12));
            } else if (size.longValue() != e.getValue()) {
                wrongSize.add(e.getKey().substring(0, 12) + " " + size + " not " + e.getValue());
            }
        }
        List<String> orphans = blobs.keySet().stream()
                .filter(sha -> !rowSizes.containsKey(sha))
                .map(sha -> sha.substring(0, 12))
                .toList();
        checks.check(
                "every row's blob in the bucket, with its size",
                missing.isEmpty() && wrongSize.isEmpty() && !rowSizes.isEmpty(),
                rowSizes.size() + " contents in stored_file, " + missing.size() + " without a blob"
                        + (missing.isEmpty() ? "" : " " + missing) + ", " + wrongSize.size() + " of another size"
                        + (wrongSize.isEmpty() ? "" : " " + wrongSize),
                "all there, sizes equal");
        checks.check(
                "every blob in the bucket has a row",
                orphans.isEmpty(),
                blobs.size() + " blobs, " + orphans.size() + " without a row" + (orphans.isEmpty() ? "" : " " + orphans)
                        + "; A's orphan sweep finished "
                        + (bucket.orphanSweepFinished == null
                                ? "never"
                                : Duration.between(bucket.sweepingStart, bucket.orphanSweepFinished)
                                                .toSeconds()
                                        + " s after its start"),
                "0 orphans, after A's start and its orphan sweep");
        List<String> staged = bucket.staged();
        checks.check(
                "nothing staged left in the bucket",
                staged.isEmpty(),
                "A's starts removed " + bucket.sweptAtStarts + " staged upload(s); "
                        + (bucket.startedAgain == null
                                ? "its first start came after stale-after"
                                : bucket.stagedBeforeSweep.size() + " staged before its second start "
                                        + summary(bucket.stagedBeforeSweep))
                        + "; " + staged.size() + " after" + (staged.isEmpty() ? "" : " " + staged),
                "0 tmp/ objects, 0 multipart uploads");
        int whole = 0;
        List<CatalogueFile> files = library.files();
        for (CatalogueFile file : files) {
            for (int origin : new int[] {BucketFaults.A, BucketFaults.B}) {
                whole += warmer.fetch("127.0.0.1", Stage.ORIGIN_PORTS[origin], file) ? 1 : 0;
            }
        }
        checks.check(
                "every upload served whole by both origins",
                whole == 2 * files.size(),
                whole + " of " + 2 * files.size() + " downloads (" + files.size() + " files, from A and from B)",
                "all");
    }

    /** Staged keys, counted by kind. */
    private static String summary(List<String> staged) {
        long uploads = staged.stream().filter(k -> k.startsWith("multipart")).count();
        return "(" + (staged.size() - uploads) + " tmp/ objects, " + uploads + " multipart uploads)";
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(stage.database.url(), EmbeddedDatabase.USER, EmbeddedDatabase.PASSWORD);
    }

    void witness() throws SQLException {
        Timestamp since = Timestamp.from(timeline.started);
        long kills = count("select count(*) from node_event where kind = 'kill' and node_name = 'edge3'");
        long otherKills = count("select count(*) from node_event where kind = 'kill' and node_name <> 'edge3'");
        long revivals = count("select count(*) from node_event where kind = 'revive' and node_name = 'edge3'");
        checks.check(
                "witness decisions on the dead edge",
                kills == 1 && revivals == 1 && otherKills == 0,
                kills + " kill, " + revivals + " revival of edge3; " + otherKills + " kills of live edges",
                "1 kill, 1 revival, nothing else");
        long removes = count("select count(*) from dns_change where action = 'remove'");
        // The witnesses' own start adds the seeded nodes' records (already there): only later adds are revivals.
        long adds = count(
                "select count(*) from dns_change where action = 'add' and created_at > ?",
                Timestamp.from(timeline.edgeKilled));
        checks.check(
                "DNS changes after the kill",
                removes == 1 && adds == 1,
                removes + " remove, " + adds + " add",
                "1 remove (the kill), 1 add (the revival)");
        long decided = count("select count(*) from witness_tick where decided_at is not null and tick >= ?", since);
        long byFirst = count(
                "select count(*) from witness_tick where decided_at is not null and tick >= ? and witness = 'witness1'",
                since);
        long doubled =
                count("select count(*) from (select tick from witness_tick group by tick having count(*) > 1) t");
        long bothChecked = count(
                "select count(*) from (select tick from check_result where tick >= ? group by tick"
                        + " having count(distinct witness) = 2) t",
                since);
        checks.check(
                "one decision per tick, two witnesses checking",
                decided > 0 && doubled == 0 && bothChecked > 0,
                String.format(
                        "%d ticks decided (witness1 %d, witness2 %d), %d ticks checked by both",
                        decided, byFirst, decided - byFirst, bothChecked),
                "each tick decided once");
        Timestamp witnessKilled = Timestamp.from(timeline.witnessKilled);
        Timestamp ended = Timestamp.from(timeline.loadEnded);
        long afterKill = count(
                "select count(*) from witness_tick where decided_at is not null and tick > ? and tick < ?",
                witnessKilled,
                ended);
        long bySecond = count(
                "select count(*) from witness_tick where tick > ?::timestamptz + interval '2 seconds'"
                        + " and witness = 'witness2'",
                witnessKilled);
        // From the kill to the first tick witness1 decided, then between its decisions: an overrun skips one tick,
        // so two intervals are normal; more would mean nobody decided.
        long longestGap = count(
                "select coalesce(max(extract(epoch from gap))::bigint, 999) from (select tick - lag(tick) over"
                        + " (order by tick) as gap from (select ?::timestamptz as tick union all select tick from"
                        + " witness_tick where decided_at is not null and tick > ? and tick < ?) d) t",
                witnessKilled,
                witnessKilled,
                ended);
        long allowed = 2L * StageConfig.TICK_SECONDS + 1;
        checks.check(
                "witness1 decides alone after witness2's kill -9",
                afterKill > 0 && bySecond == 0 && longestGap <= allowed,
                afterKill + " ticks decided since, longest wait " + longestGap + " s, " + bySecond + " by the dead one",
                "from the next tick on (waits <= " + allowed + " s)");
        Timestamp back = Timestamp.from(timeline.databaseBack);
        long ticksAfter = count("select count(*) from witness_tick where decided_at is not null and tick > ?", back);
        long checksAfter = count("select count(*) from check_result where tick > ?", back);
        checks.check(
                "witness records resume after the PostgreSQL restart",
                ticksAfter > 0 && checksAfter > 0,
                ticksAfter + " ticks decided, " + checksAfter + " check results since",
                "> 0");
    }

    void traffic() throws SQLException {
        StringBuilder mismatch = new StringBuilder();
        long lostToKill = 0;
        for (int i = 0; i < Stage.EDGES.size(); i++) {
            String address = Stage.EDGES.get(i);
            long expected = report.answeredBy(address) + warmer.answered(address);
            long recorded = count(
                    "select coalesce(sum(requests), 0) from traffic_minute where node = ? and role = 'edge'",
                    "edge" + (i + 1));
            if (i == Rehearsal.KILLED && bucket == null) {
                lostToKill = expected - recorded;
                if (recorded > expected) {
                    mismatch.append(String.format("edge%d recorded %d of %d (more!) ", i + 1, recorded, expected));
                }
            } else if (recorded != expected) {
                mismatch.append(String.format("edge%d recorded %d of %d ", i + 1, recorded, expected));
            }
        }
        checks.check(
                "edges' traffic records match the clients",
                mismatch.isEmpty(),
                mismatch.isEmpty()
                        ? bucket == null
                                ? "exact for edge1, edge2; edge3 lost " + lostToKill + " to kill -9"
                                : "exact for edge1, edge2, edge3 (edge1 and edge3 through A's kill)"
                        : mismatch.toString(),
                bucket == null ? "exact; the killed edge only its unflushed seconds" : "exact for all three");
        long served = count("select coalesce(sum(bytes_sent), 0) from traffic_minute where role = 'edge'");
        long fromOrigin = count("select coalesce(sum(bytes_from_origin), 0) from traffic_minute where role = 'edge'");
        long originSent = count("select coalesce(sum(bytes_sent), 0) from traffic_minute where role = 'origin'");
        long hits =
                count("select coalesce(sum(hits + stale + revalidated), 0) from traffic_minute where role = 'edge'");
        long all = count("select coalesce(sum(requests), 0) from traffic_minute where role = 'edge'");
        checks.check(
                "origin bytes versus bytes served",
                served > 0 && fromOrigin < served,
                String.format(
                        Locale.ROOT,
                        "edges served %s, fetched %s from the origin (%.1f%%); origin sent %s",
                        Progress.Units.bytes(served),
                        Progress.Units.bytes(fromOrigin),
                        100.0 * fromOrigin / Math.max(1, served),
                        Progress.Units.bytes(originSent)),
                "origin < served");
        checks.note(
                "hit ratio in the edges' records (whole run, warm-up included)",
                String.format(Locale.ROOT, "%.2f%% of %d requests", 100.0 * hits / Math.max(1, all), all));
        if (bucket != null) {
            return; // no PostgreSQL restart in the bucket variant
        }
        Timestamp back = Timestamp.from(timeline.databaseBack);
        long after =
                count("select count(*) from traffic_minute where minute >= date_trunc('minute', ?::timestamptz)", back);
        checks.check(
                "traffic records resume after the PostgreSQL restart", after > 0, after + " minute rows since", "> 0");
    }

    private long count(String sql, Object... params) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        stage.database.url(), EmbeddedDatabase.USER, EmbeddedDatabase.PASSWORD);
                PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Set<String> blobs(Path root) throws IOException {
        Set<String> names = new HashSet<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile)
                        .forEach(p -> names.add(p.getFileName().toString()));
            }
        }
        return names;
    }

    private static long countFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.count();
        }
    }
}
