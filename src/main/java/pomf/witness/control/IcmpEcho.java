package pomf.witness.control;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

/**
 * A real ICMP echo through {@link InetAddress#isReachable}, which opens a raw socket when the process holds
 * CAP_NET_RAW ({@link Pinger#detect()} makes sure it does).
 */
final class IcmpEcho implements Pinger {
    @Override
    public String mode() {
        return "icmp";
    }

    @Override
    public Finding ping(InetAddress address, Duration timeout) {
        long start = System.nanoTime();
        try {
            if (address.isReachable((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))) {
                return Finding.OK;
            }
        } catch (IOException e) {
            // The echo could not be sent at all: "Network is unreachable" and the like, on the witness's side.
            return Finding.of(e, Outcome.LOCAL_ERROR, timeout);
        }
        // The JDK swallows EHOSTUNREACH from sendto and answers false at once; a lost echo takes the whole timeout.
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        return waited.compareTo(timeout.dividedBy(2)) < 0
                ? new Finding(Outcome.UNREACHABLE, "no route to host (the echo request could not be sent)")
                : Finding.timeout("no echo reply", timeout);
    }
}
