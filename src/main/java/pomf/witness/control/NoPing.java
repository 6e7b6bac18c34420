package pomf.witness.control;

import java.net.InetAddress;
import java.time.Duration;

/**
 * No way to ping from here. Every ping check becomes a witness fault rather than a strike: a witness that cannot ping
 * must not take nodes out of DNS for it.
 */
record NoPing(String reason) implements Pinger {
    @Override
    public String mode() {
        return "unavailable: " + reason;
    }

    @Override
    public Finding ping(InetAddress address, Duration timeout) {
        return new Finding(Outcome.LOCAL_ERROR, "ping " + mode());
    }
}
