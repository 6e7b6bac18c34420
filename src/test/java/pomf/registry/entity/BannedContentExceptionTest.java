package pomf.registry.entity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ejb.ApplicationException;
import org.junit.jupiter.api.Test;

class BannedContentExceptionTest {
    private static final String SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void itSaysWhichContentWasRefusedAndByWhatList() {
        BannedContentException banned = new BannedContentException(SHA256, "ban", "banned hashes");
        BannedContentException listed = new BannedContentException(SHA256, "hash_list", "ncmec");

        assertThat(banned.getMessage()).isEqualTo("content " + SHA256 + " is refused (ban: banned hashes)");
        assertThat(banned.kind()).isEqualTo("ban");
        assertThat(banned.name()).isEqualTo("banned hashes");
        assertThat(listed.getMessage()).isEqualTo("content " + SHA256 + " is refused (hash_list: ncmec)");
        assertThat(listed.kind()).isEqualTo("hash_list");
        assertThat(listed.name()).isEqualTo("ncmec");
    }

    @Test
    void itRollsThePublicationBack() {
        // Without rollback the stored_file row of refused content would be committed by the EJB's transaction.
        ApplicationException marker = BannedContentException.class.getAnnotation(ApplicationException.class);
        assertThat(marker).isNotNull();
        assertThat(marker.rollback()).isTrue();
    }
}
