package pomf.it.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
 * A real BIND 9, authoritative for one fresh zone on 127.0.0.1 and accepting RFC 2136 updates signed with a TSIG
 * key of its own: what the DNS providers and the witness talk to in tests. The key is generated here (32 random
 * bytes, as tsig-keygen does), so only named itself must be installed.
 */
public final class Bind implements AutoCloseable {
    private static final String ALGORITHM = "hmac-sha256";
    private static final String KEY_NAME = "pomf-witness";
    private static final Duration READY = Duration.ofSeconds(10);

    private final BindProcess process;
    private final int port;
    private final String zone;
    private final String secret;

    private Bind(BindProcess process, int port, String zone, String secret) {
        this.process = process;
        this.port = port;
        this.zone = zone;
        this.secret = secret;
    }

    /** Why BIND cannot run here, if it cannot: tests print it and skip. */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(BindProcess.executable())) {
            return Optional.of(BindProcess.executable() + " is missing (apt-get install bind9)");
        }
        try {
            // /proc/self belongs to whoever runs this JVM.
            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid == 0 ? Optional.empty() : Optional.of("named needs root here, and this JVM runs as uid " + uid);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot tell whether this JVM runs as root: " + e);
        }
    }

    /** BIND with the zone's SOA, its NS (ns.zone, 127.0.0.1) and the given A records (names relative or full). */
    public static Bind start(Path folder, int port, String zone, Map<String, List<String>> aRecords) {
        return start(folder, port, zone, aRecords, List.of());
    }

    /** The same, plus more zone file lines, such as {@code "@ IN MX 10 mail"} or {@code "info IN TXT \"hi\""}. */
    public static Bind start(
            Path folder, int port, String zone, Map<String, List<String>> aRecords, List<String> extraRecords) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = Base64.getEncoder().encodeToString(key);
        Path conf = BindFiles.write(folder, port, zone, KEY_NAME, ALGORITHM, secret, aRecords, extraRecords);
        Bind bind = new Bind(BindProcess.start(conf, conf.resolveSibling("named.log")), port, zone, secret);
        try {
            bind.process.await(bind::answersSoa, READY, "the SOA of " + zone);
        } catch (RuntimeException e) {
            bind.stop();
            throw e;
        }
        return bind;
    }

    public int port() {
        return port;
    }

    public String zone() {
        return zone;
    }

    public String keyName() {
        return KEY_NAME;
    }

    public String secret() {
        return secret;
    }

    public String algorithm() {
        return ALGORITHM;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /**
     * The properties a witness needs to change this server's records (RFC 2136, signed with its TSIG key) and to use
     * it as a reference point: reaching it when most nodes fail shows the failures are the nodes'.
     */
    public Map<String, String> witnessDnsConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("pomf.witness.dns.provider", "rfc2136");
        config.put("pomf.witness.dns.rfc2136.server", "127.0.0.1:" + port);
        config.put("pomf.witness.dns.rfc2136.zone", zone);
        config.put("pomf.witness.dns.rfc2136.key-name", keyName());
        config.put("pomf.witness.dns.rfc2136.key-secret", secret);
        config.put("pomf.witness.guard.references", "127.0.0.1:" + port);
        return config;
    }

    /** The A addresses BIND answers for the name now (asked directly, unsigned, nothing cached). */
    public Set<String> query(String name) {
        Set<String> addresses = new TreeSet<>();
        for (Record answer : answers(name, Type.A)) {
            if (answer instanceof ARecord a) {
                addresses.add(a.getAddress().getHostAddress());
            }
        }
        return addresses;
    }

    /** The name's records of one type ("MX", "SOA", ...) as zone file data, sorted, duplicates kept if any. */
    public List<String> records(String name, String type) {
        return answers(name, Type.value(type)).stream()
                .map(Record::rdataToString)
                .sorted()
                .toList();
    }

    /** Stops named and waits for it to exit; nothing happens when it is already gone. */
    public void stop() {
        process.stop();
    }

    @Override
    public void close() {
        stop();
    }

    private List<Record> answers(String name, int type) {
        try {
            Message response = resolver(Duration.ofSeconds(2)).send(query(name, type));
            int rcode = response.getRcode();
            if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                throw new IllegalStateException("BIND answered " + Rcode.string(rcode) + " for " + name);
            }
            return response.getSection(Section.ANSWER).stream()
                    .filter(r -> r.getType() == type)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean answersSoa() {
        try {
            Message response = resolver(Duration.ofMillis(200)).send(query(zone, Type.SOA));
            return response.getRcode() == Rcode.NOERROR
                    && !response.getSection(Section.ANSWER).isEmpty();
        } catch (IOException notListeningYet) {
            return false;
        }
    }

    private SimpleResolver resolver(Duration timeout) {
        SimpleResolver resolver = new SimpleResolver(address());
        resolver.setTimeout(timeout);
        return resolver;
    }

    private static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
    }
}
