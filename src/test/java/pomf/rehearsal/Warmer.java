package pomf.rehearsal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import pomf.it.load.Catalogue;
import pomf.it.load.CatalogueFile;
import pomf.it.load.LoadFetch;

/**
 * The rehearsal's own downloads, outside the load: filling each edge's cache before the load (every file twice, as
 * pomf.edge.min-uses=2 wants) and fetching files to check them afterwards. Each is checked byte by byte like the
 * clients' and counted per address, so that the edges' traffic records can be matched exactly.
 */
final class Warmer {
    private final Catalogue catalogue;
    private final Progress progress;
    private final Map<String, LongAdder> answered = new ConcurrentHashMap<>();
    private final LongAdder failed = new LongAdder();
    private final LongAdder wrong = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    Warmer(Catalogue catalogue, Progress progress) {
        this.catalogue = catalogue;
        this.progress = progress;
    }

    /** Every file twice from every edge, the edges in parallel. */
    void warm(List<String> addresses) throws InterruptedException {
        long total = catalogue.files().stream().mapToLong(CatalogueFile::size).sum() * 2 * addresses.size();
        List<Thread> threads = new java.util.ArrayList<>();
        for (String address : addresses) {
            Thread thread = new Thread(
                    () -> {
                        for (CatalogueFile file : catalogue.files()) {
                            for (int i = 0; i < 2; i++) {
                                fetch(address, Stage.EDGE_PORT, file);
                                progress.bar("warm", bytes.sum(), total);
                            }
                        }
                    },
                    "warm-" + address);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        progress.say("edges warmed: " + answered + " answers, " + failed.sum() + " failed, " + wrong.sum() + " wrong");
    }

    /** One whole download, checked; true when every byte was right. */
    boolean fetch(String address, int port, CatalogueFile file) {
        LoadFetch.Result result =
                new LoadFetch().fetch(address, port, file, catalogue.localCopy().apply(file.name()), -1, -1);
        if (!result.outcome().equals("connect_error")) {
            answered.computeIfAbsent(address, a -> new LongAdder()).increment();
        }
        bytes.add(result.bytes());
        if (result.outcome().equals("wrong_body")) {
            wrong.increment();
        } else if (!result.ok()) {
            failed.increment();
        }
        return result.ok();
    }

    long answered(String address) {
        LongAdder count = answered.get(address);
        return count == null ? 0 : count.sum();
    }

    long failed() {
        return failed.sum();
    }

    long wrongBodies() {
        return wrong.sum();
    }
}
