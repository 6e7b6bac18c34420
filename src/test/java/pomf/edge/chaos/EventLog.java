package pomf.edge.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The run's timeline: every fault, change at the origin, purge, kill and restart with its time since the start, in
 * {@code events.txt}, so a wrong answer's time can be matched with what happened around it. Notable lines are also
 * printed.
 */
final class EventLog {
    private final long start = System.nanoTime();
    private final Path file;
    private final PrintStream out;

    EventLog(Path file, PrintStream out) {
        this.file = file;
        this.out = out;
    }

    /** Milliseconds since the start of the run for a nanoTime instant. */
    long millis(long nanos) {
        return (nanos - start) / 1_000_000;
    }

    void note(String event) {
        write(event, false);
    }

    void say(String event) {
        write(event, true);
    }

    private synchronized void write(String event, boolean print) {
        String line = String.format("%9.3f s  %s%n", millis(System.nanoTime()) / 1000.0, event);
        if (print) {
            out.print("[edge-chaos] " + line);
        }
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
