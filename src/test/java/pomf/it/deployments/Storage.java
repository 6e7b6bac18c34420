package pomf.it.deployments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a deployment's storage folder holds, as the tests that check "nothing kept" look at it. */
public final class Storage {
    private Storage() {}

    /** Blob files of one content (zero or one, unless something is badly wrong). */
    public static List<Path> blobs(Path storage, String sha256) {
        try (Stream<Path> files = Files.walk(storage.resolve("blobs"))) {
            return files.filter(p -> p.getFileName().toString().equals(sha256)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uploads in flight or left behind. */
    public static List<Path> temporaryFiles(Path storage) {
        try (Stream<Path> files = Files.list(storage.resolve("tmp"))) {
            return files.filter(p -> p.toString().endsWith(".part")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
