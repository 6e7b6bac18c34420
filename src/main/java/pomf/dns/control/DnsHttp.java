package pomf.dns.control;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP side of the API providers: one client, one hard deadline per call, transport failures as retryable
 * {@link DnsException}s, and the provider's secrets kept out of every message it builds (a key in a URL or echoed by
 * an error page must not end up in a log or in the admin pages).
 */
final class DnsHttp {
    private static final int SNIPPET = 200;

    private final String provider;
    private final Duration timeout;
    private final HttpClient client;
    private final List<String> secrets = new ArrayList<>();

    DnsHttp(String provider, Duration timeout, String... secrets) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(provider + ": the timeout must be positive");
        }
        this.provider = provider;
        this.timeout = timeout;
        // HTTP/1.1: single small calls gain nothing from HTTP/2, and plain-HTTP stand-ins need no h2c upgrade.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                this.secrets.add(secret);
                this.secrets.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Sends and reads the whole answer within the timeout. The request's own timeout only bounds the wait for the
     * headers, so a server that trickles its body would hold the witness's tick; the future's deadline does not.
     */
    HttpResponse<String> send(HttpRequest.Builder request) throws DnsException {
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(
                request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw timedOut();
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw failure(provider + ": the call was interrupted", true, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw timedOut();
            }
            if (cause instanceof IOException) {
                throw failure(provider + " is unreachable: " + cause, true, cause);
            }
            throw failure(provider + ": the call failed: " + cause, true, cause);
        }
    }

    private DnsException timedOut() {
        return failure(provider + " did not answer within " + timeout.toMillis() + " ms", true);
    }

    DnsException failure(String message, boolean retryable) {
        return new DnsException(redact(message), retryable);
    }

    /** Keeps the cause for its stack trace unless something in its chain names a secret. */
    DnsException failure(String message, boolean retryable, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (!redact(String.valueOf(t)).equals(String.valueOf(t))) {
                return new DnsException(redact(message) + " (cause withheld: it named a secret)", retryable);
            }
        }
        return new DnsException(redact(message), retryable, cause);
    }

    String redact(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, "***");
        }
        return result;
    }

    /** The start of an unexpected body, on one line, for a message that helps without flooding the log. */
    String snippet(String body) {
        // Redacted before it is cut, so that no part of a secret survives at the cut.
        String line = redact(body == null ? "" : body.replaceAll("\\s+", " ").strip());
        return line.length() > SNIPPET ? line.substring(0, SNIPPET) + "..." : line;
    }

    /** application/x-www-form-urlencoded, also good as a query string. */
    static String form(Map<String, String> params) {
        StringBuilder form = new StringBuilder();
        params.forEach((name, value) -> {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return form.toString();
    }
}
