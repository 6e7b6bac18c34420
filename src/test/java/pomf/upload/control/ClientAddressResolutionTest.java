package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.http.control.ClientAddress;

/**
 * Host names in X-Forwarded-For must never be looked up: a name that resolves to a proxy's address would be
 * skipped as trusted. A separate JVM gets a hosts file ({@code jdk.net.hosts.file}) in which names that look
 * almost like addresses resolve to the trusted range, so any lookup shows in the answer.
 */
class ClientAddressResolutionTest {
    private static final List<String> NEAR_ADDRESSES = List.of("1.2.3.4.5", "1.2.3.999", "1.2.3.", "10.0.0.1.");

    @Test
    void namesThatLookLikeAddressesAreNeverResolved(@TempDir Path dir) throws Exception {
        Path hosts = dir.resolve("hosts");
        StringBuilder lines = new StringBuilder();
        NEAR_ADDRESSES.forEach(name -> lines.append("10.0.0.1 ").append(name).append('\n'));
        Files.writeString(hosts, lines, StandardCharsets.US_ASCII);

        List<String> out = runProbe(hosts);

        // The probe JVM does resolve these names through the hosts file: the test is not vacuous.
        assertThat(out).contains("lookup 1.2.3.4.5 -> 10.0.0.1");
        for (String name : NEAR_ADDRESSES) {
            assertThat(out).as("hop %s", name).contains("client " + name + " -> " + name);
        }
    }

    private static List<String> runProbe(Path hosts) throws IOException, InterruptedException {
        String launcher =
                Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = location(ClientAddress.class) + java.io.File.pathSeparator + location(Probe.class);
        List<String> command = new ArrayList<>(
                List.of(launcher, "-Djdk.net.hosts.file=" + hosts, "-cp", classpath, Probe.class.getName()));
        command.addAll(NEAR_ADDRESSES);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().toList();
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs in the JVM with the hosts file: prints what the name service says and what ClientAddress decides. */
    public static final class Probe {
        public static void main(String[] names) throws Exception {
            System.out.println(
                    "lookup 1.2.3.4.5 -> " + InetAddress.getByName("1.2.3.4.5").getHostAddress());
            ClientAddress address = new ClientAddress(List.of("10.0.0.0/8"));
            for (String name : names) {
                System.out.println("client " + name + " -> " + address.resolve("10.0.0.2", name));
            }
        }
    }
}
