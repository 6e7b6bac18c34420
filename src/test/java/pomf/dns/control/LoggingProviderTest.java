package pomf.dns.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoggingProviderTest {
    private static final String CDN = "cdn.example.com";
    private final Logger logger = Logger.getLogger(LoggingProvider.class.getName());
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        logger.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        logger.removeHandler(capture);
    }

    @Test
    void isTheNoneProvider() {
        assertThat(new LoggingProvider().name()).isEqualTo("none");
    }

    @Test
    void startsEmptyAndHoldsWhatARealZoneWouldHold() {
        LoggingProvider provider = new LoggingProvider();
        assertThat(provider.addresses(CDN)).isEmpty();

        provider.add(CDN, "192.0.2.1");
        provider.add(CDN, "192.0.2.2");
        provider.remove(CDN, "192.0.2.1");

        assertThat(provider.addresses(CDN)).containsExactly("192.0.2.2");
        assertThat(provider.addresses("www.example.com")).isEmpty();
    }

    @Test
    void startsFromTheGivenRecords() {
        LoggingProvider provider = new LoggingProvider(
                Map.of(CDN, Set.of("192.0.2.1", "192.0.2.2", "192.0.2.3"), "www.example.com", Set.of("192.0.2.9")));

        provider.remove(CDN, "192.0.2.2");

        assertThat(provider.addresses(CDN)).containsExactlyInAnyOrder("192.0.2.1", "192.0.2.3");
        assertThat(provider.addresses("www.example.com")).containsExactly("192.0.2.9");
    }

    @Test
    void repeatedChangesChangeNothing() {
        LoggingProvider provider = new LoggingProvider(Map.of(CDN, Set.of("192.0.2.1")));

        provider.add(CDN, "192.0.2.1");
        provider.remove(CDN, "192.0.2.7");
        provider.remove("nothing.example.com", "192.0.2.1");

        assertThat(provider.addresses(CDN)).containsExactly("192.0.2.1");
        assertThat(provider.addresses("nothing.example.com")).isEmpty();
    }

    @Test
    void namesCompareAsDnsNamesDo() {
        LoggingProvider provider = new LoggingProvider();

        provider.add("CDN.Example.com.", "192.0.2.1");

        assertThat(provider.addresses(CDN)).containsExactly("192.0.2.1");
    }

    @Test
    void everyChangeIsLoggedAtInfo() {
        LoggingProvider provider = new LoggingProvider(Map.of(CDN, Set.of("192.0.2.1", "192.0.2.2")));

        provider.remove(CDN, "192.0.2.2");
        provider.remove(CDN, "192.0.2.2");
        provider.add(CDN, "192.0.2.2");

        assertThat(logged).allSatisfy(r -> assertThat(r.getLevel()).isEqualTo(Level.INFO));
        assertThat(logged)
                .extracting(LogRecord::getMessage)
                .satisfiesExactly(
                        m -> assertThat(m).contains("would remove 192.0.2.2 from cdn.example.com", "[192.0.2.1]"),
                        m -> assertThat(m).contains("would remove 192.0.2.2", "no change"),
                        m -> assertThat(m).contains("would add 192.0.2.2 to cdn.example.com", "192.0.2.1, 192.0.2.2"));
    }

    @Test
    void aReadAddressSetIsASnapshot() {
        LoggingProvider provider = new LoggingProvider(Map.of(CDN, Set.of("192.0.2.1")));
        Set<String> before = provider.addresses(CDN);

        provider.add(CDN, "192.0.2.2");

        assertThat(before).containsExactly("192.0.2.1");
        assertThatThrownBy(() -> before.add("192.0.2.3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void concurrentChangesAllLand() throws Exception {
        LoggingProvider provider = new LoggingProvider();
        logger.setLevel(Level.WARNING); // 1200 INFO lines would only slow this down
        try {
            inParallel(t -> IntStream.range(0, 100).forEach(i -> provider.add(CDN, "10.0." + t + "." + i)));
            assertThat(provider.addresses(CDN)).hasSize(800);

            inParallel(t -> IntStream.range(0, 100)
                    .filter(i -> i % 2 == 0)
                    .forEach(i -> provider.remove(CDN, "10.0." + t + "." + i)));
            assertThat(provider.addresses(CDN))
                    .hasSize(400)
                    .allMatch(a -> Integer.parseInt(a.substring(a.lastIndexOf('.') + 1)) % 2 == 1);
        } finally {
            logger.setLevel(null);
        }
    }

    @Test
    void onlyLiteralIpv4AddressesAreAccepted() {
        LoggingProvider provider = new LoggingProvider();

        assertThatThrownBy(() -> provider.add(CDN, "localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.remove(CDN, "2001:db8::1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoggingProvider(Map.of(CDN, Set.of("cdn.example.com"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(provider.addresses(CDN)).isEmpty();
    }

    /** Runs the work on 8 threads at once (thread t gets t) and waits for all of them. */
    private static void inParallel(IntConsumer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> tasks = IntStream.range(0, 8)
                    .<Callable<Void>>mapToObj(t -> () -> {
                        work.accept(t);
                        return null;
                    })
                    .toList();
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
