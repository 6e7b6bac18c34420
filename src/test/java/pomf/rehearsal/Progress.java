package pomf.rehearsal;

import java.io.PrintStream;

/** What the rehearsal is doing, as it does it: timestamped lines and, for long steps, a bar every tenth. */
final class Progress {
    private final PrintStream out;
    private final long started = System.nanoTime();
    private String barLabel = "";
    private int barTenths = -1;

    Progress(PrintStream out) {
        this.out = out;
    }

    synchronized void say(String line) {
        out.printf("[rehearsal %6.1fs] %s%n", seconds(), line);
        out.flush();
    }

    /** A bar for {@code label}, printed when it has moved by a tenth (a log, not a terminal, reads it too). */
    synchronized void bar(String label, long done, long total) {
        int tenths = total <= 0 ? 10 : (int) Math.min(10, done * 10 / total);
        if (!label.equals(barLabel)) {
            barLabel = label;
            barTenths = -1;
        }
        if (tenths != barTenths) {
            barTenths = tenths;
            say(String.format(
                    "%-10s [%-10s] %3d%% %s of %s",
                    label, "#".repeat(tenths), tenths * 10, Units.bytes(done), Units.bytes(total)));
        }
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** Sizes for people. */
    static final class Units {
        private Units() {}

        static String bytes(long bytes) {
            if (bytes < 1024) {
                return bytes + " B";
            }
            if (bytes < 1 << 20) {
                return String.format("%.1f KiB", bytes / 1024.0);
            }
            if (bytes < 1L << 30) {
                return String.format("%.1f MiB", bytes / 1048576.0);
            }
            return String.format("%.2f GiB", bytes / 1073741824.0);
        }
    }
}
