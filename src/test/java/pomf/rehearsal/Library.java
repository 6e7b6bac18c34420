package pomf.rehearsal;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import pomf.it.load.Catalogue;
import pomf.it.load.CatalogueFile;

/**
 * The files of the rehearsal: written to disk with random content (seeded, so two runs upload the same bytes),
 * uploaded through the Pomf API, and kept as the {@link Catalogue} the clients download and compare against. Ranked by
 * popularity: the video is the second most popular file, the rest follow in the plan's (shuffled) order.
 */
final class Library {
    private final Path folder;
    private final Map<String, Path> localByStoredName = new LinkedHashMap<>();
    private final List<CatalogueFile> files = new ArrayList<>();

    Library(Path folder) {
        this.folder = folder;
    }

    /** Writes and uploads every file of the plan; fails on the first upload the origin refuses. */
    Catalogue upload(RehearsalPlan plan, Uploader uploader, Progress progress) throws IOException {
        Files.createDirectories(folder);
        List<Long> sizes = new ArrayList<>(plan.fileSizes());
        Long video = sizes.remove(sizes.size() - 1);
        sizes.add(Math.min(1, sizes.size()), video);
        long done = 0;
        for (int i = 0; i < sizes.size(); i++) {
            boolean isVideo = i == Math.min(1, sizes.size() - 1);
            String name = (isVideo ? "viral-video" : "file-" + i) + (isVideo ? ".mp4" : ".bin");
            Path local = folder.resolve(name);
            String sha256 = write(local, sizes.get(i), 1000L + i);
            Uploader.Answer answer = uploader.upload(local, name, "json");
            if (!answer.ok()) {
                throw new IllegalStateException(
                        "upload of " + name + " refused: " + answer.status() + " " + answer.body());
            }
            add(answer, local, sha256, sizes.get(i));
            done += sizes.get(i);
            progress.bar("upload", done, plan.libraryBytes());
        }
        return catalogue();
    }

    /** Adds a file uploaded later (after the database came back), from the origin's JSON answer. */
    CatalogueFile add(Uploader.Answer answer, Path local, String sha256, long size) {
        JsonObject file = Json.createReader(new StringReader(answer.body()))
                .readObject()
                .getJsonArray("files")
                .getJsonObject(0);
        String url = file.getString("url");
        String stored = url.substring(url.lastIndexOf('/') + 1);
        if (file.getJsonNumber("size").longValue() != size) { // Pomf's "hash" is a SHA-1: the registry check compares
            throw new IllegalStateException("the origin stored " + stored + " as " + file + ", not " + size + " bytes");
        }
        CatalogueFile entry = new CatalogueFile(stored, sha256, size);
        localByStoredName.put(stored, local);
        files.add(entry);
        return entry;
    }

    Catalogue catalogue() {
        return new Catalogue(files, name -> localByStoredName.get(name));
    }

    List<CatalogueFile> files() {
        return List.copyOf(files);
    }

    Path local(CatalogueFile file) {
        return localByStoredName.get(file.name());
    }

    /** Random bytes, seeded; returns their SHA-256 (hex). */
    static String write(Path target, long size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[64 * 1024];
        try (OutputStream out =
                new DigestOutputStream(Files.newOutputStream(target), MessageDigest.getInstance("SHA-256"))) {
            for (long left = size; left > 0; ) {
                for (int i = 0; i < block.length; i += 8) {
                    long value = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        block[i + b] = (byte) (value >>> (8 * b));
                    }
                }
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
            out.flush();
            return HexFormat.of()
                    .formatHex(((DigestOutputStream) out).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
