package pomf.witness.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;

/**
 * The witness's side of {@link IsolationTest}, run in a child JVM inside the witness's network namespace (a thread
 * cannot change namespace): the real {@link Prober}, {@link References#anyAnswers} and {@link Guard#fault}, one tick
 * per line read from standard input, as one long-running witness whose network changes between ticks; exits at the
 * end of its input.
 *
 * <p>Arguments: {@code TIMEOUT_MS TRUST_STORE PASSWORD REFERENCE NAME=ADDRESS...}; each node is checked at {@code
 * https://ADDRESS/health/ready}, by ping, and at {@code ADDRESS:22}.
 *
 * <p>Each tick prints {@code TICK <n> <millis> <references> <node>=<CHECK>:<OUTCOME>:<ms>,... FAULT <reason>|NOFAULT}
 * (fields separated by tabs) and a {@code DETAIL} line per failed check, for people.
 */
public final class IsolationProbeMain {
    private IsolationProbeMain() {}

    public static void main(String[] args) throws IOException {
        Duration timeout = Duration.ofMillis(Long.parseLong(args[0]));
        ProbeSettings settings = new ProbeSettings(
                timeout,
                timeout,
                timeout,
                TrustStores.sslContext(Optional.of(Path.of(args[1])), Optional.of(args[2])),
                16,
                Executors.defaultThreadFactory());
        List<String> references = List.of(args[3]);
        List<Target> targets = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            String[] node = args[i].split("=", 2);
            targets.add(new Target(node[0], node[1], URI.create("https://" + node[1] + "/health/ready"), 22));
        }
        Guard guard = Guard.defaults();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Prober prober = new Prober(settings)) {
            System.out.println("MODE\tping " + prober.pingMode());
            System.out.flush();
            int tick = 0;
            while (commands.readLine() != null) {
                tick++;
                long start = System.nanoTime();
                List<CheckResult> results = prober.checkAll(targets);
                Optional<Boolean> answered = References.anyAnswers(references, timeout, ForkJoinPool.commonPool());
                Optional<String> fault = guard.fault(results, answered);
                long millis = (System.nanoTime() - start) / 1_000_000;
                StringBuilder line = new StringBuilder("TICK\t" + tick + "\t" + millis + "\t" + answered.orElse(null));
                for (Target target : targets) {
                    line.append('\t')
                            .append(target.node())
                            .append('=')
                            .append(results.stream()
                                    .filter(r -> r.node().equals(target.node()))
                                    .map(r -> r.check() + ":" + r.outcome() + ":"
                                            + r.latency().toMillis())
                                    .collect(Collectors.joining(",")));
                }
                for (CheckResult failed : results.stream().filter(r -> !r.ok()).toList()) {
                    System.out.println("DETAIL\t" + tick + "\t" + failed.node() + " " + failed.check() + " "
                            + failed.outcome() + "\t" + failed.detail());
                }
                // The tick line last: the test reads up to it.
                line.append('\t').append(fault.map(reason -> "FAULT " + reason).orElse("NOFAULT"));
                System.out.println(line);
                System.out.flush();
            }
        }
        System.exit(0);
    }
}
