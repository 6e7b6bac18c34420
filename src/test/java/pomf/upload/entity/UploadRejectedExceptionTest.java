package pomf.upload.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class UploadRejectedExceptionTest {
    @Test
    void eachRefusalHasPomfsStatusAndWords() {
        assertRefusal(UploadRejectedException.noInput(), 400, "No input file(s)");
        assertRefusal(UploadRejectedException.notAllowed(), 415, "File type not allowed.");
        assertRefusal(UploadRejectedException.blocked(), 403, "Uploads from your address are blocked.");
        assertRefusal(UploadRejectedException.blacklisted(), 451, "File unavailable for legal reasons.");
    }

    @Test
    void theSizeLimitIsShownInMebibytesWholeWhenItIsWhole() {
        assertRefusal(UploadRejectedException.tooLarge(128L << 20), 413, "File too large (limit 128 MiB).");
        assertRefusal(UploadRejectedException.tooLarge(2L << 30), 413, "File too large (limit 2048 MiB).");
        assertRefusal(UploadRejectedException.tooLarge(1536L << 10), 413, "File too large (limit 1.50 MiB).");
        assertRefusal(UploadRejectedException.tooLarge(100_000_000), 413, "File too large (limit 95.37 MiB).");
    }

    @Test
    void aRetryAfterAndACauseAreKept() {
        IOException cause = new IOException("reset");
        UploadRejectedException slowDown = new UploadRejectedException(429, "Slow down.", 30, cause);

        assertThat(slowDown.status()).isEqualTo(429);
        assertThat(slowDown.retryAfterSeconds()).isEqualTo(30);
        assertThat(slowDown.getCause()).isSameAs(cause);
        assertThat(UploadRejectedException.noInput().retryAfterSeconds()).isZero();
        assertThat(UploadRejectedException.noInput().getCause()).isNull();
    }

    private static void assertRefusal(UploadRejectedException e, int status, String description) {
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.getMessage()).isEqualTo(description);
    }
}
