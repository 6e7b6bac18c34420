package pomf.dns.control;

/**
 * A provider refused or failed a change. Retryable failures (timeouts, server errors, rate limits) are tried again
 * with backoff; the others (a wrong key, an unknown zone, a refused IP) need the operator, and say how.
 */
public class DnsException extends Exception {
    private final boolean retryable;

    public DnsException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public DnsException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
