package pomf.it.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The edges' round-robin record as a client sees it: asked from the DNS server directly, kept for a short while (a
 * short TTL), then asked again; addresses are taken in turn. A failed lookup keeps the last answer, as a stub
 * resolver serving stale would, and is counted.
 */
final class EdgeResolver {
    private final Name host;
    private final InetSocketAddress dns;
    private final long everyNanos;
    private final AtomicInteger turn = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();
    private volatile List<String> addresses = List.of();
    private volatile long resolvedAt;
    private volatile boolean resolved;

    EdgeResolver(String host, InetSocketAddress dns, Duration every) {
        try {
            this.host = Name.fromString(host, Name.root);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a host name: " + host, e);
        }
        this.dns = dns;
        this.everyNanos = every.toNanos();
    }

    /** The next address to use, or null when the record has no address (or none was ever resolved). */
    String next() {
        List<String> current = current();
        return current.isEmpty() ? null : current.get(Math.floorMod(turn.getAndIncrement(), current.size()));
    }

    long failures() {
        return failures.get();
    }

    private List<String> current() {
        if (!resolved || System.nanoTime() - resolvedAt > everyNanos) {
            synchronized (this) {
                if (!resolved || System.nanoTime() - resolvedAt > everyNanos) {
                    resolve();
                }
            }
        }
        return addresses;
    }

    private void resolve() {
        try {
            SimpleResolver resolver = new SimpleResolver(dns);
            resolver.setTimeout(Duration.ofSeconds(1));
            Message response = resolver.send(Message.newQuery(Record.newRecord(host, Type.A, DClass.IN)));
            if (response.getRcode() == Rcode.NOERROR || response.getRcode() == Rcode.NXDOMAIN) {
                List<String> found = new ArrayList<>();
                for (Record answer : response.getSection(Section.ANSWER)) {
                    if (answer instanceof ARecord a) {
                        found.add(a.getAddress().getHostAddress());
                    }
                }
                addresses = List.copyOf(found);
            } else {
                failures.incrementAndGet();
            }
        } catch (IOException e) {
            failures.incrementAndGet();
        }
        // Also after a failure: a dead DNS server is asked again only once the TTL has passed, not per request.
        resolvedAt = System.nanoTime();
        resolved = true;
    }
}
