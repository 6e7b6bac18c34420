package pomf.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Class data sharing for the Payara processes the launchers start: the JVM maps the classes that an earlier run of
 * the same JDK, Payara jar and WAR parsed and verified, instead of doing that again (about 2.5 s of a start on two
 * cores). A run without an archive writes one as its JVM exits ({@code -XX:ArchiveClassesAtExit}) into a partial
 * file of its own, which becomes the archive only when that JVM ended by itself (a SIGTERM or SIGINT stop, not
 * {@code kill -9}); later runs map it. Archives of other builds are removed when a new one arrives. A JVM that cannot
 * use an archive ignores it.
 */
public final class ClassArchive {
    private static final AtomicLong PARTIALS = new AtomicLong();

    private final Path archive;
    private final Path partial;

    private ClassArchive(Path archive, Path partial) {
        this.archive = archive;
        this.partial = partial;
    }

    /** The archive of {@code kind} (e.g. "origin") for this JDK, {@code jar} and {@code war}, kept in {@code folder}. */
    public static ClassArchive of(Path folder, String kind, Path jar, Path war) {
        try {
            Files.createDirectories(folder);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((System.getProperty("java.vm.version") + "|" + System.getProperty("java.home") + "|"
                            + stamp(jar) + "|" + stamp(war))
                    .getBytes(StandardCharsets.UTF_8));
            String key = HexFormat.of().formatHex(digest.digest()).substring(0, 12);
            String name = kind.replaceAll("[^a-z]+", "-");
            Path archive = folder.resolve(name + "." + key + ".jsa");
            Path partial = folder.resolve(name + "." + key + "."
                    + ProcessHandle.current().pid() + "-" + PARTIALS.incrementAndGet() + ".partial");
            return new ClassArchive(archive, partial);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stamp(Path file) throws IOException {
        return file + ":" + Files.size(file) + ":"
                + Files.getLastModifiedTime(file).toMillis();
    }

    /** The JVM option for the next start: map the archive, or write one at exit. */
    public String option() {
        return ready() ? "-XX:SharedArchiveFile=" + archive : "-XX:ArchiveClassesAtExit=" + partial;
    }

    private boolean ready() {
        try {
            return Files.isRegularFile(archive) && Files.size(archive) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * After the process has ended: its archive is kept when it wrote one and ended by itself, else dropped.
     *
     * @param byItself false when the process was killed (a partial archive may be cut short)
     */
    public void ended(boolean byItself) {
        try {
            if (!Files.isRegularFile(partial)) {
                return;
            }
            if (!byItself || ready()) {
                Files.deleteIfExists(partial);
                return;
            }
            try (var others = Files.list(archive.getParent())) {
                String kind = archive.getFileName().toString().replaceFirst("[0-9a-f]{12}\\.jsa$", "");
                others.filter(p -> p.getFileName().toString().startsWith(kind)
                                && p.getFileName().toString().endsWith(".jsa"))
                        .forEach(p -> p.toFile().delete());
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // An archive is only a speed-up: without it the next start parses the classes again.
        }
    }
}
