package pomf.storage.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.it.deployments.MigratedDatabase;
import pomf.it.servers.S3Server;
import pomf.storage.control.FolderBlobs;
import pomf.storage.control.S3Blobs;
import pomf.storage.control.S3Settings;
import pomf.storage.control.StorageSql;

/**
 * The move command as an operator runs it: the service's properties file, the credentials in the environment, the
 * direction on the command line, the answer in the exit status; there and back on a real PostgreSQL and a real S3
 * server. (The move's cases are {@code storage.control.BlobMoveTest}'s.)
 */
class MoveBlobsTest {
    private static final String BUCKET = "moved";
    private static S3Server server;
    private static DataSource database;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        server = S3Server.start();
        server.createBucket(BUCKET);
        database = MigratedDatabase.fresh("move_blobs");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theCommandMovesTheBlobsThereAndBackAndSaysSoInItsStatus() throws Exception {
        Path files = temp.resolve("files");
        FolderBlobs folder = new FolderBlobs(files);
        Random random = new Random(16);
        List<byte[]> blobs = new ArrayList<>();
        new StorageSql(database).checkAtStart("folder", null);
        for (int i = 0; i < 6; i++) {
            byte[] bytes = new byte[1000 * i + 7];
            random.nextBytes(bytes);
            blobs.add(bytes);
            Path file = folder.blob(sha256(bytes));
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            try (Connection c = database.getConnection();
                    PreparedStatement insert = c.prepareStatement("insert into stored_file"
                            + " (name, sha1, sha256, size, content_type, created_at)"
                            + " values (?, repeat('0', 40), ?, ?, 'text/plain', now())")) {
                insert.setString(1, "f" + i + ".txt");
                insert.setString(2, sha256(bytes));
                insert.setLong(3, bytes.length);
                insert.executeUpdate();
            }
        }
        Path properties = temp.resolve("origin.properties");
        Files.writeString(
                properties,
                "pomf.roles=origin,admin\n"
                        + "pomf.storage.dir=" + files + "\n"
                        + "pomf.storage.kind=folder\n"
                        + "pomf.storage.s3.endpoint=" + server.endpoint() + "\n"
                        + "pomf.storage.s3.bucket=" + BUCKET + "\n");
        Map<String, String> environment = Map.of(
                "POMF_S3_ACCESS_KEY", S3Server.ACCESS_KEY,
                "POMF_S3_SECRET_KEY", S3Server.SECRET_KEY);

        assertThat(run(environment, "--to", "sideways"))
                .as("a wrong command line")
                .isEqualTo(2);
        assertThat(run(Map.of(), "--to", "s3", "--properties", properties.toString()))
                .as("no credentials")
                .isEqualTo(1);
        assertThat(run(environment, "--to", "s3", "--limit", "2", "--properties", properties.toString()))
                .as("stopped at the limit")
                .isEqualTo(4);
        assertThat(recorded()).isEqualTo("folder null");
        assertThat(run(environment, "--to", "s3", "--report-every", "0.01", "--properties", properties.toString()))
                .as("all copied, nothing recorded: the run while the origins serve")
                .isEqualTo(0);
        assertThat(recorded()).isEqualTo("folder null");
        assertThat(run(environment, "--to", "s3", "--switch", "--properties", properties.toString()))
                .isEqualTo(0);
        assertThat(recorded()).isEqualTo("s3 " + BUCKET);
        S3Settings settings = new S3Settings(
                server.endpoint(), "us-east-1", BUCKET, true, 16L << 20, S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
        try (var client = settings.newClient()) {
            S3Blobs bucket = new S3Blobs(settings, client);
            for (byte[] bytes : blobs) {
                try (InputStream in = bucket.read(sha256(bytes), 0, bytes.length - 1)) {
                    assertThat(in.readAllBytes()).isEqualTo(bytes);
                }
            }
        }
        assertThat(run(environment, "--to", "s3", "--properties", properties.toString()))
                .as("already there")
                .isEqualTo(0);

        Path back = temp.resolve("back");
        Properties system = new Properties();
        system.setProperty("pomf.storage.dir", back.toString()); // -D wins over the properties file
        assertThat(MoveBlobs.run(
                        new String[] {"--to", "folder", "--switch", "--properties", properties.toString()},
                        system,
                        environment::get,
                        database))
                .isEqualTo(0);
        assertThat(recorded()).isEqualTo("folder null");
        FolderBlobs returned = new FolderBlobs(back);
        for (byte[] bytes : blobs) {
            assertThat(Files.readAllBytes(returned.blob(sha256(bytes)))).isEqualTo(bytes);
        }
    }

    private static int run(Map<String, String> environment, String... args) {
        return MoveBlobs.run(args, new Properties(), environment::get, database);
    }

    private static String recorded() throws Exception {
        try (Connection c = database.getConnection();
                Statement s = c.createStatement();
                ResultSet row = s.executeQuery("select kind, bucket from blob_store")) {
            row.next();
            return row.getString(1) + " " + row.getString(2);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
