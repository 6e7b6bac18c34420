package pomf.it.servers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@link S3Server} as a process of its own, for benchmarks ({@code src/bench/storage-bench.sh}): its CPU and memory
 * are then apart from the origin's. Arguments: the data folder (the filesystem backend's; removed at the stop), the
 * port (0: a free one), the buckets to create. Prints {@code endpoint http://127.0.0.1:<port>} once it serves, then
 * runs until SIGTERM (or Ctrl-C), or, with {@code --until-eof} first, until its standard input ends too (so a
 * caller that dies without cleaning up, whose end of the pipe closes, takes the server with it).
 * The keys are {@link S3Server#ACCESS_KEY} and {@link S3Server#SECRET_KEY}.
 */
public final class S3ServerMain {
    private S3ServerMain() {}

    public static void main(String[] args) throws Exception {
        int first = 0;
        boolean untilEof = args.length > 0 && args[0].equals("--until-eof");
        if (untilEof) {
            first = 1;
        }
        if (args.length - first < 2) {
            System.err.println("usage: S3ServerMain [--until-eof] <folder> <port> [bucket...]");
            System.exit(2);
        }
        Path folder = Path.of(args[first]).toAbsolutePath().normalize();
        int port = Integer.parseInt(args[first + 1]);
        S3Server server = S3Server.start(folder, port);
        for (int i = first + 2; i < args.length; i++) {
            server.createBucket(args[i]);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                server.close();
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "s3-stop"));
        System.out.println("endpoint " + server.endpoint());
        System.out.flush();
        if (untilEof) {
            InputStream in = System.in;
            byte[] sink = new byte[256];
            try {
                while (in.read(sink) >= 0) {
                    // whatever the caller writes is ignored: only the end counts
                }
            } catch (IOException e) {
                // a broken stdin is an end too
            }
            System.exit(0); // runs the shutdown hook
        }
        stopped.await();
    }
}
