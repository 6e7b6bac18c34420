package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Name and type rules of both modes, with Pomf's default block lists. */
class UploadPolicyTest {
    static final UploadPolicy POMF = new UploadPolicy(
            UploadPolicy.Mode.BLOCK,
            UploadSettings.list(UploadSettings.POMF_BLOCKED_EXTENSIONS),
            UploadSettings.list(UploadSettings.POMF_BLOCKED_TYPES));

    @ParameterizedTest
    @ValueSource(
            strings = {"exe", "scr", "com", "vbs", "bat", "cmd", "htm", "html", "jar", "msi", "apk", "phtml", "svg"})
    void pomfsDefaultExtensionsAreRefusedWhateverTheirCase(String extension) {
        assertThat(POMF.acceptsName("file." + extension)).isFalse();
        assertThat(POMF.acceptsName("FILE." + extension.toUpperCase())).isFalse();
        assertThat(POMF.acceptsName("MiXeD." + extension.substring(0, 1).toUpperCase() + extension.substring(1)))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "evil.exe. ",
                "evil.exe...",
                "C:\\Users\\x\\evil.exe",
                "../evil.html",
                "evil.ex\u0000e",
                "page.HTM",
                "tricky.tar.exe",
                "a\u202Egpj.exe",
                "app.ap\u212A"
            })
    void disguisedBlockedNamesAreRefused(String name) {
        assertThat(POMF.acceptsName(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "photo.jpg",
                "archive.tar.gz",
                "README",
                ".bashrc",
                "exe",
                "exe.txt",
                "my.exe.backup.zip",
                "document.pdf",
                "page.xhtml",
                "a.svgz"
            })
    void otherNamesAreAccepted(String name) {
        assertThat(POMF.acceptsName(name)).isTrue();
    }

    @Test
    void blockedTypesMatchCaseInsensitivelyAndThroughAnyKnownName() {
        assertThat(POMF.acceptsType(Set.of("TEXT/HTML"))).isFalse();
        assertThat(POMF.acceptsType(Set.of("application/x-something", "application/x-msdownload")))
                .isFalse();
        assertThat(POMF.acceptsType(Set.of("image/png"))).isTrue();
        assertThat(POMF.acceptsType(Set.of())).isTrue();
    }

    @Test
    void blockListEntriesAreTrimmedLowerCasedAndMayStartWithADot() {
        UploadPolicy policy =
                new UploadPolicy(UploadPolicy.Mode.BLOCK, List.of(" .EXE ", "", "Bat"), List.of(" Text/HTML "));

        assertThat(policy.acceptsName("a.exe")).isFalse();
        assertThat(policy.acceptsName("a.BAT")).isFalse();
        assertThat(policy.acceptsName("a.txt")).isTrue();
        assertThat(policy.acceptsType(Set.of("text/html"))).isFalse();
    }

    @Test
    void emptyBlockListAcceptsEverything() {
        UploadPolicy open = new UploadPolicy(UploadPolicy.Mode.BLOCK, List.of(), List.of());

        assertThat(open.acceptsName("virus.exe")).isTrue();
        assertThat(open.acceptsType(Set.of("application/x-msdownload"))).isTrue();
        assertThat(open.describe()).isEqualTo("All file types are accepted.");
    }

    @Test
    void allowModeAcceptsOnlyListedExtensionsWhateverTheirCase() {
        UploadPolicy images =
                new UploadPolicy(UploadPolicy.Mode.ALLOW, List.of("png", "JPG", ".gif"), List.of("image/*"));

        assertThat(images.acceptsName("a.PNG")).isTrue();
        assertThat(images.acceptsName("a.jpg")).isTrue();
        assertThat(images.acceptsName("a.gif")).isTrue();
        assertThat(images.acceptsName("a.txt")).isFalse();
        assertThat(images.acceptsName("png")).isFalse();
        assertThat(images.acceptsName("a.png.exe")).isFalse();
        assertThat(images.describe()).isEqualTo("Accepted: gif, jpg, png files.");
    }

    @Test
    void allowModeWildcardAcceptsAWholeTypeFamily() {
        UploadPolicy images = new UploadPolicy(UploadPolicy.Mode.ALLOW, List.of(), List.of("image/*"));

        assertThat(images.acceptsName("anything.bin")).isTrue();
        assertThat(images.acceptsType(Set.of("image/png"))).isTrue();
        assertThat(images.acceptsType(Set.of("IMAGE/JPEG"))).isTrue();
        assertThat(images.acceptsType(Set.of("application/zip"))).isFalse();
        assertThat(images.acceptsType(Set.of("imagex/png", "text/plain"))).isFalse();
        assertThat(images.acceptsType(Set.of())).isFalse();
    }

    @Test
    void allowModeWithExactTypesAcceptsOnlyThose() {
        UploadPolicy pdf = new UploadPolicy(UploadPolicy.Mode.ALLOW, List.of(), List.of("application/pdf"));

        assertThat(pdf.acceptsType(Set.of("application/pdf"))).isTrue();
        assertThat(pdf.acceptsType(Set.of("application/zip"))).isFalse();
    }

    @Test
    void allowModeWithoutTypesAcceptsAnyType() {
        UploadPolicy any = new UploadPolicy(UploadPolicy.Mode.ALLOW, List.of("txt"), List.of());

        assertThat(any.acceptsType(Set.of("application/x-msdownload"))).isTrue();
    }

    @Test
    void modeIsParsedCaseInsensitively() {
        assertThat(UploadPolicy.mode(" Block ")).isEqualTo(UploadPolicy.Mode.BLOCK);
        assertThat(UploadPolicy.mode("ALLOW")).isEqualTo(UploadPolicy.Mode.ALLOW);
        assertThatThrownBy(() -> UploadPolicy.mode("deny")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pomfDefaultsAreDescribedSorted() {
        assertThat(POMF.describe())
                .isEqualTo("Not accepted: apk, bat, cmd, com, exe, htm, html, jar, msi, phtml, scr, svg, "
                        + "vbs files, executables and web pages.");
    }
}
