package pomf.upload.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import pomf.metrics.control.Traffic;
import pomf.refusals.control.Refusals;
import pomf.registry.boundary.Registry;
import pomf.registry.entity.BannedContentException;
import pomf.registry.entity.Incoming;
import pomf.registry.entity.Published;
import pomf.storage.control.HashLocks;
import pomf.storage.entity.StagedBlob;
import pomf.storage.entity.StoreUnavailableException;
import pomf.upload.control.DeletionTokens;
import pomf.upload.control.DownloadLimit;
import pomf.upload.control.Expiry;
import pomf.upload.control.Receiver;
import pomf.upload.control.UploadSettings;
import pomf.upload.entity.UploadRejectedException;
import pomf.upload.entity.UploadedFile;

/**
 * Publishes received files: under their hashes' locks, one registry transaction for the whole request. When the
 * transaction fails, blobs it placed go back to their temporary files, so a retry (a name or hash taken by
 * another origin meanwhile) or the final cleanup leaves no orphan.
 */
@ApplicationScoped
public class Publisher {
    private static final Logger LOG = Logger.getLogger(Publisher.class.getName());
    private static final int ATTEMPTS = 3;

    @Inject
    Registry registry;

    @Inject
    HashLocks locks;

    @Inject
    UploadSettings settings;

    @Inject
    Traffic traffic;

    @Inject
    Refusals refusals;

    public List<UploadedFile> publish(Receiver.Received received, String uploaderAddress) {
        LocalDateTime now = Registry.now();
        Integer maxDownloads = DownloadLimit.parse(received.maxDownloads());
        List<String> tokens = new ArrayList<>();
        List<Incoming> incoming = new ArrayList<>();
        for (Receiver.ReceivedFile file : received.files()) {
            String token = DeletionTokens.next();
            tokens.add(token);
            // Per file: with retention by size, each file's size sets its longest lifetime.
            Optional<Duration> lifetime = Expiry.choose(
                    received.expiry(),
                    settings.defaultExpiry(),
                    settings.expiryCap(file.digest().size()));
            LocalDateTime expiresAt = lifetime.map(now::plus).orElse(null);
            incoming.add(new Incoming(
                    file.staged(),
                    file.digest().sha1(),
                    file.digest().sha256(),
                    file.digest().size(),
                    file.contentType(),
                    file.originalName(),
                    DeletionTokens.hash(token),
                    uploaderAddress,
                    expiresAt,
                    maxDownloads,
                    file.digest().md5()));
        }
        List<Published> published = publish(incoming);
        List<UploadedFile> answer = new ArrayList<>();
        for (int i = 0; i < published.size(); i++) {
            Published p = published.get(i);
            traffic.uploaded(p.size(), p.duplicate());
            answer.add(new UploadedFile(
                    p.sha1(),
                    incoming.get(i).originalName(),
                    settings.fileUrl(p.storedName()),
                    p.size(),
                    settings.serviceUrl("/delete/" + tokens.get(i)),
                    p.expiresAt(),
                    maxDownloads));
        }
        return answer;
    }

    private List<Published> publish(List<Incoming> incoming) {
        Map<String, StagedBlob> temps =
                incoming.stream().collect(Collectors.toMap(Incoming::sha256, Incoming::staged, (a, b) -> a));
        try (HashLocks.Held held = locks.lock(temps.keySet())) {
            for (int attempt = 1; ; attempt++) {
                List<String> placed = new ArrayList<>();
                try {
                    return registry.publish(incoming, placed);
                } catch (BannedContentException e) {
                    restore(placed, temps);
                    refusals.refused(e.kind(), e.name());
                    throw UploadRejectedException.blacklisted();
                } catch (RuntimeException e) {
                    restore(placed, temps);
                    if (attempt == ATTEMPTS || !isConflict(e)) {
                        LOG.log(Level.WARNING, "upload could not be recorded", e);
                        throw new UploadRejectedException(
                                503,
                                e.getCause() instanceof StoreUnavailableException
                                        ? "The file store is unavailable; try again shortly."
                                        : "The file registry is unavailable; try again shortly.",
                                5,
                                e);
                    }
                }
            }
        }
    }

    private static void restore(List<String> placed, Map<String, StagedBlob> temps) {
        for (String sha256 : placed) {
            temps.get(sha256).unplace(sha256);
        }
    }

    /** A unique constraint lost to a concurrent writer: the next attempt sees the winner's row. */
    private static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
