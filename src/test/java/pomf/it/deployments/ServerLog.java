package pomf.it.deployments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The warnings of the Arquillian-started servers, read back from {@code target/payara-it.log} (see
 * {@code src/test/payara/logging.properties}) for a failing assertion's message: CI keeps a failure's message and the
 * end of the build's output, not the server's log, and a failure that does not reproduce is otherwise a guess.
 */
public final class ServerLog {
    static final Path FILE = Path.of("target", "payara-it.log");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final int MAX_LINES = 20;
    private static final int MAX_LINE = 300;
    /** Warnings every start logs (expired CAs in the JDK's trust store, deployment descriptor notes): noise here. */
    private static final List<String> NOISE =
            List.of(" javax.enterprise.system.security.ssl: ", " javax.enterprise.system.tools.deployment.dol: ");

    private ServerLog() {}

    /** The server's WARNING and SEVERE records of the last two minutes, with their causes but no stack frames. */
    public static String recentProblems() {
        return problemsSince(LocalDateTime.now().minus(Duration.ofMinutes(2)));
    }

    /** As {@link #recentProblems()}, from {@code since}; a line that says so when there are none or no log. */
    public static String problemsSince(LocalDateTime since) {
        List<String> lines;
        try {
            lines = Files.readAllLines(FILE, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "\n(no server log at " + FILE.toAbsolutePath() + ": " + e + ")";
        }
        return summary(lines, since);
    }

    static String summary(List<String> lines, LocalDateTime since) {
        Deque<String> kept = new ArrayDeque<>();
        boolean inProblem = false;
        for (String line : lines) {
            LocalDateTime at = timeOf(line);
            if (at != null) {
                inProblem = !at.isBefore(since)
                        && (line.contains(" WARNING ") || line.contains(" SEVERE "))
                        && NOISE.stream().noneMatch(line::contains);
            } else if (inProblem && (line.startsWith("\tat ") || line.startsWith("\t... "))) {
                continue;
            }
            if (inProblem) {
                kept.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line);
                if (kept.size() > MAX_LINES) {
                    kept.removeFirst();
                }
            }
        }
        if (kept.isEmpty()) {
            return "\n(the server logged no warnings since " + since.format(TIME) + ")";
        }
        return "\nthe server's last warnings:\n" + String.join("\n", kept);
    }

    private static LocalDateTime timeOf(String line) {
        if (line.length() < 23 || line.charAt(4) != '-' || line.charAt(10) != ' ') {
            return null;
        }
        try {
            return LocalDateTime.parse(line.substring(0, 23), TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
