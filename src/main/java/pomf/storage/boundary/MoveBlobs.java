package pomf.storage.boundary;

import io.minio.MinioAsyncClient;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import pomf.storage.control.BlobMove;
import pomf.storage.control.BlobMove.Outcome;
import pomf.storage.control.BlobStores;
import pomf.storage.control.CommandConfig;
import pomf.storage.control.FolderBlobs;
import pomf.storage.control.S3Blobs;
import pomf.storage.control.S3Keys;
import pomf.storage.control.S3Settings;
import pomf.storage.control.StorageSql;
import pomf.threads.control.Threads;

/**
 * The command that moves the registry's blobs between the storage folder and a bucket (issue 16), run by an operator
 * from the WAR's classes ({@code server-config/move-blobs.sh}, README "Moving the blobs"), not by the service:
 * {@code --to s3} copies the folder's blobs to the bucket, {@code --to folder} the bucket's to the folder, each
 * verified by its SHA-256, resumable, and records the target as where the blobs are once all are there
 * ({@link BlobMove}). It reads the service's own settings ({@link CommandConfig}): {@code pomf.storage.dir},
 * {@code pomf.storage.s3.*} and the credentials from the environment, and the database's {@code pomf.db.url},
 * {@code pomf.db.user} and {@code pomf.db.password}, which the service reads in its data source's definition
 * ({@code database.boundary.SchemaMigration}) and this command here.
 *
 * <p>Without {@code --switch} a run copies and verifies but records nothing (the run while the origins serve);
 * {@code --switch} (with every origin stopped) records the target once all is there.
 *
 * <p>Exit status: 0 switched, or all copied (without {@code --switch}), or already there; 1 failed (a store, the database, the settings), 2 a wrong command
 * line, 3 went through but not switched (missing or corrupt blobs, uploads still arriving), 4 stopped (interrupted, or
 * at {@code --limit}).
 */
public final class MoveBlobs {
    private static final Logger LOG = Logger.getLogger(MoveBlobs.class.getName());
    static final String USAGE = "usage: move-blobs.sh --to s3|folder [--switch] [--accept-missing] [--limit BLOBS]"
            + " [--report-every SECONDS] [--properties FILE]";

    private MoveBlobs() {}

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        AtomicBoolean ended = new AtomicBoolean();
        Threads.atShutdown("pomf-move-blobs-stop", () -> {
            if (!ended.get()) {
                LOG.warning("stopped before the end: what was copied and verified stays noted; run it again to go on");
            }
        });
        int status = run(args, System.getProperties(), System::getenv, null);
        ended.set(true);
        System.exit(status);
    }

    /**
     * The command on {@code system} properties and {@code environment}; with {@code database} null, the database of
     * {@code pomf.db.*}.
     *
     * @return the exit status
     */
    static int run(String[] args, Properties system, Function<String, String> environment, DataSource database) {
        String to = null;
        boolean switchAtEnd = false;
        boolean acceptMissing = false;
        long limit = 0;
        Duration reportEvery = Duration.ofSeconds(5);
        Properties file = new Properties();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--to" -> to = args[++i];
                    case "--switch" -> switchAtEnd = true;
                    case "--accept-missing" -> acceptMissing = true;
                    case "--limit" -> limit = Long.parseLong(args[++i]);
                    case "--report-every" ->
                        reportEvery = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                    case "--properties" -> file = CommandConfig.load(Path.of(args[++i]));
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (!"s3".equals(to) && !"folder".equals(to) || limit < 0 || reportEvery.isNegative()) {
                throw new IllegalArgumentException("--to is s3 or folder");
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            LOG.severe(e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (IOException e) {
            LOG.severe("the properties file cannot be read: " + e);
            return 2;
        }
        CommandConfig config = new CommandConfig(system, file, environment);
        BlobMove.Options options = new BlobMove.Options(switchAtEnd, acceptMissing, limit, reportEvery);
        try {
            DataSource source = database != null ? database : dataSource(config);
            S3Settings settings = S3Settings.read(config, environment);
            StorageSql sql = new StorageSql(source);
            if (!sql.migrated()) {
                LOG.severe("the database has no blob_store table yet: start the service of this version once (it"
                        + " migrates the schema and records where the blobs are), then run this again");
                return 1;
            }
            Optional<AutoCloseable> lock = sql.exclusive();
            if (lock.isEmpty()) {
                LOG.severe("another move runs on this database now: one at a time");
                return 1;
            }
            try (AutoCloseable held = lock.get();
                    MinioAsyncClient client = settings.newClient()) {
                // Large uploads' blobs are at their random keys: reads from the bucket look them up.
                S3Blobs bucket = new S3Blobs(settings, client).withKeys(new S3Keys(source));
                bucket.checkBucket();
                FolderBlobs folder = new FolderBlobs(BlobStores.folder(config));
                Outcome outcome = new BlobMove(sql, folder, bucket, to.equals("s3"), options).run();
                return switch (outcome.state()) {
                    case SWITCHED, ALREADY_THERE, COPIED -> 0;
                    case FAILED -> 1;
                    case INCOMPLETE -> 3;
                    case STOPPED -> 4;
                };
            }
        } catch (SQLException e) {
            LOG.severe("the database failed: " + e.getMessage() + " (run this again: what is copied stays copied)");
            return 1;
        } catch (Exception e) {
            LOG.severe(e.getMessage() != null ? e.getMessage() : e.toString());
            return 1;
        }
    }

    private static DataSource dataSource(Function<String, Optional<String>> config) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(
                config.apply("pomf.db.url").orElseThrow(() -> new IllegalStateException("pomf.db.url is not set")));
        config.apply("pomf.db.user").ifPresent(source::setUser);
        config.apply("pomf.db.password").ifPresent(source::setPassword);
        return source;
    }
}
