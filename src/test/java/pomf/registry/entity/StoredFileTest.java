package pomf.registry.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class StoredFileTest {
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 1, 10, 30);

    private static StoredFile link() {
        return new StoredFile("abc123.png", "a".repeat(40), "b".repeat(64), 4_096, "image/png", NOW);
    }

    @Test
    void aNewLinkIsNotBannedHasNoLimitAndNoMd5YetAndKeepsWhatItWasGiven() {
        StoredFile file = link();

        assertThat(file.isBanned()).isFalse();
        assertThat(file.getMaxDownloads()).isNull();
        assertThat(file.getMd5()).isNull();
        assertThat(file.getId()).as("given by the database").isNull();
        assertThat(file.getName()).isEqualTo("abc123.png");
        assertThat(file.getSha1()).isEqualTo("a".repeat(40));
        assertThat(file.getSha256()).isEqualTo("b".repeat(64));
        assertThat(file.getSize()).isEqualTo(4_096);
        assertThat(file.getContentType()).isEqualTo("image/png");
        assertThat(file.getCreatedAt()).isEqualTo(NOW);
    }

    @Test
    void aLinkMayBeGivenADownloadLimitAndItsMd5() {
        StoredFile file = link();

        file.limitDownloads(3);
        file.md5("d41d8cd98f00b204e9800998ecf8427e");

        assertThat(file.getMaxDownloads()).isEqualTo(3);
        assertThat(file.getMd5()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        file.limitDownloads(null);
        assertThat(file.getMaxDownloads()).isNull();
    }

    @Test
    void anUploadsOwnerMayChangeItsExpiryOrKeepItUntilDeleted() {
        StoredFile file = link();
        Upload upload = new Upload(file, "cat.png", "c".repeat(64), "203.0.113.9", NOW, NOW.plusDays(1));

        assertThat(upload.getFile()).isSameAs(file);
        assertThat(upload.getExpiresAt()).isEqualTo(LocalDateTime.of(2026, 11, 2, 10, 30));
        upload.expireAt(NOW.plusDays(7));
        assertThat(upload.getExpiresAt()).isEqualTo(LocalDateTime.of(2026, 11, 8, 10, 30));
        upload.expireAt(null);
        assertThat(upload.getExpiresAt()).isNull();
        assertThat(upload.getCreatedAt()).isEqualTo(NOW);
    }
}
