package pomf.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The quick rehearsal in every build: the whole system started from the real WAR (origin, three edges, two
 * witnesses, BIND, sshd, its own PostgreSQL), under load and faults, with every check of the printed table required
 * to pass. The same code runs on demand, bigger, through {@code server-config/rehearsal.sh full}.
 */
class RehearsalIT {

    @Test
    void theWholeSystemCarriesTheLoadThroughEveryFault() throws Exception {
        Optional<String> unavailable = Rehearsal.unavailable();
        if (unavailable.isPresent()) {
            System.err.println("RehearsalIT skips: " + unavailable.get());
        }
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        Path target = Path.of(System.getProperty("pomf.basedir", "."), "target");
        Checks checks =
                Rehearsal.run(RehearsalPlan.quick(), Files.createTempDirectory(target, "rehearsal-it-"), System.out);
        assertThat(checks.failures()).as(checks.table()).isEmpty();
        assertThat(checks.rows()).as("the table has every check").hasSizeGreaterThan(20);
    }

    /**
     * The bucket variant (two origins on an S3 bucket, origin A killed with kill -9 under load), only with
     * {@code -Drehearsal.bucket=true}: it takes about five minutes more, beyond what the build's budget leaves. The
     * same plan runs on demand through {@code server-config/rehearsal.sh bucket}.
     */
    @Test
    void twoOriginsOnABucketLoseNothingWhenOneIsKilled() throws Exception {
        assumeTrue(Boolean.getBoolean("rehearsal.bucket"), "the bucket rehearsal runs with -Drehearsal.bucket=true");
        Optional<String> unavailable = Rehearsal.unavailable();
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        Path target = Path.of(System.getProperty("pomf.basedir", "."), "target");
        Checks checks = Rehearsal.run(
                RehearsalPlan.quickOnBucket(), Files.createTempDirectory(target, "rehearsal-it-bucket-"), System.out);
        assertThat(checks.failures()).as(checks.table()).isEmpty();
        assertThat(checks.rows()).as("the table has every check").hasSizeGreaterThan(15);
    }
}
