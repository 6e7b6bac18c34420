package pomf.it.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The configuration and the zone file of one {@link Bind}, every path inside the test's folder. */
final class BindFiles {
    private BindFiles() {}

    /** Writes named.conf and a fresh zone; returns the path of named.conf. */
    static Path write(
            Path folder,
            int port,
            String zone,
            String keyName,
            String algorithm,
            String secret,
            Map<String, List<String>> aRecords,
            List<String> extraRecords) {
        Path dir = folder.toAbsolutePath();
        String zoneFile = "db." + zone;
        String conf = """
                // Written by pomf.it.servers.Bind: authoritative only, on loopback only, every file inside this folder.
                key "%2$s" { algorithm %3$s; secret "%4$s"; };
                // No rndc channel: it would listen on 127.0.0.1#953, which every BIND on this machine shares.
                controls { };
                options {
                    directory "%1$s";
                    pid-file "%1$s/named.pid";
                    session-keyfile "%1$s/session.key";
                    managed-keys-directory "%1$s";
                    listen-on port %5$d { 127.0.0.1; };
                    listen-on-v6 { none; };
                    recursion no;
                    // Without these two, named primes the root servers and fetches the root trust anchor.
                    dnssec-validation no;
                    notify no;
                };
                zone "%6$s" {
                    type primary;
                    file "%7$s";
                    update-policy { grant %2$s zonesub A AAAA TXT; };
                };
                """.formatted(dir, keyName, algorithm, secret, port, zone, zoneFile);
        StringBuilder records = new StringBuilder()
                .append("$TTL 60\n$ORIGIN ")
                .append(zone)
                .append(".\n@ IN SOA ns hostmaster 1 3600 600 86400 60\n@ IN NS ns\nns IN A 127.0.0.1\n");
        aRecords.forEach((name, addresses) ->
                addresses.forEach(address -> records.append(owner(name, zone) + " IN A " + address + "\n")));
        extraRecords.forEach(line -> records.append(line).append('\n'));
        try {
            Files.createDirectories(dir);
            // A journal left by an earlier run would replay its updates onto the fresh zone.
            Files.deleteIfExists(dir.resolve(zoneFile + ".jnl"));
            Files.writeString(dir.resolve(zoneFile), records);
            return Files.writeString(dir.resolve("named.conf"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fully qualified name (cdn.example.test) gets its trailing dot; a relative one (cdn) stays relative. */
    private static String owner(String name, String zone) {
        return name.equals(zone) || name.endsWith("." + zone) ? name + "." : name;
    }
}
