package pomf.storage.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** The two ways the blob store says it could not do what was asked, as the callers read them. */
class BlobFailuresTest {
    private static final String NAME = "a".repeat(64);
    private static final String ACTUAL = "b".repeat(64);

    @Test
    void aCorruptBlobSaysWhatItShouldHashToWhatItHashesToAndHowMuchWasRead() {
        CorruptBlobException corrupt = new CorruptBlobException(NAME, ACTUAL, 12_345);

        assertThat(corrupt.sha256()).isEqualTo(NAME);
        assertThat(corrupt.actual()).isEqualTo(ACTUAL);
        assertThat(corrupt.bytes()).isEqualTo(12_345);
        assertThat(corrupt.getMessage())
                .contains(NAME)
                .contains(ACTUAL)
                .contains("12345 bytes")
                .contains("not copied");
    }

    @Test
    void bothAreInputOutputFailuresSoEveryStreamingPathStopsOnThem() {
        assertThat(new CorruptBlobException(NAME, ACTUAL, 0)).isInstanceOf(IOException.class);
        assertThat(new StoreUnavailableException("bucket down", null)).isInstanceOf(IOException.class);
    }

    @Test
    void anUnavailableStoreKeepsItsCauseForTheLog() {
        SocketTimeoutException cause = new SocketTimeoutException("read timed out");

        StoreUnavailableException down = new StoreUnavailableException("GET blobs/aa/aa/" + NAME, cause);

        assertThat(down.getMessage()).isEqualTo("GET blobs/aa/aa/" + NAME);
        assertThat(down.getCause()).isSameAs(cause);
    }
}
