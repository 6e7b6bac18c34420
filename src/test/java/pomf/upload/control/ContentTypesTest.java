package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;
import static pomf.upload.control.Multiparts.ascii;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** What is detected from the bytes, and whether Pomf's default block lists refuse it. */
class ContentTypesTest {

    private static boolean refused(byte[] head) {
        return !UploadPolicyTest.POMF.acceptsType(ContentTypes.namesOf(ContentTypes.detect(head)));
    }

    /** A DOS header with a PE header where e_lfanew points; the other DOS fields are left as zeros, as tiny PEs do. */
    static byte[] pe(int lfanew, int machine) {
        ByteBuffer b = ByteBuffer.allocate(lfanew + 256).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 'M').put(1, (byte) 'Z').putInt(0x3C, lfanew);
        b.put(lfanew, (byte) 'P').put(lfanew + 1, (byte) 'E').putShort(lfanew + 4, (short) machine);
        return b.array();
    }

    private static byte[] machO(int magic, ByteOrder order, int fileType) {
        return ByteBuffer.allocate(64)
                .order(order)
                .putInt(0, magic)
                .putInt(4, 7)
                .putInt(12, fileType)
                .array();
    }

    @Test
    void portableExecutablesAreRefusedWhereverTheirHeaderIs() {
        assertThat(refused(pe(0x80, 0x14C))).isTrue();
        assertThat(refused(pe(0xF0, 0x8664))).isTrue();
        assertThat(refused(pe(0xE8, 0x8664))).isTrue();
        assertThat(refused(pe(0x40, 0xAA64))).isTrue();
        assertThat(ContentTypes.detect(pe(0x80, 0x14C))).startsWith("application/x-msdownload");
    }

    @Test
    void sixteenBitWindowsAndOs2ExecutablesAreRefused() {
        for (String signature : new String[] {"NE", "LE", "LX"}) {
            byte[] exe = pe(0x80, 0);
            exe[0x80] = (byte) signature.charAt(0);
            exe[0x81] = (byte) signature.charAt(1);

            assertThat(refused(exe)).as(signature).isTrue();
        }
    }

    @Test
    void dosExecutableWithAPlausibleHeaderIsRefused() {
        // MZ, 0x90 bytes on the last of 3 pages, no relocations, 4 paragraphs of header, relocations at 0x40.
        byte[] dos = ByteBuffer.allocate(0x600)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(0, (byte) 'M')
                .put(1, (byte) 'Z')
                .putShort(2, (short) 0x90)
                .putShort(4, (short) 3)
                .putShort(8, (short) 4)
                .putShort(0x18, (short) 0x40)
                .array();

        assertThat(refused(dos)).isTrue();
    }

    @Test
    void elfExecutablesAreRefused() {
        byte[] elf = new byte[64];
        elf[0] = 0x7F;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        elf[4] = 2;
        elf[5] = 1;
        elf[6] = 1;
        elf[16] = 2;

        assertThat(ContentTypes.detect(elf)).isEqualTo("application/x-executable");
        assertThat(refused(elf)).isTrue();
    }

    @Test
    void machOExecutablesAndLibrariesAreRefusedInEveryByteOrder() {
        assertThat(refused(machO(0xFEEDFACF, ByteOrder.LITTLE_ENDIAN, 2)))
                .as("64-bit, little-endian")
                .isTrue();
        assertThat(refused(machO(0xFEEDFACE, ByteOrder.BIG_ENDIAN, 2)))
                .as("32-bit, big-endian")
                .isTrue();
        assertThat(refused(machO(0xFEEDFACF, ByteOrder.LITTLE_ENDIAN, 6)))
                .as("dylib")
                .isTrue();
        assertThat(refused(ByteBuffer.allocate(64).putInt(0xCAFEBABE).putInt(2).array()))
                .as("universal")
                .isTrue();
    }

    @Test
    void javaClassFilesAreRefused() {
        byte[] cls = ByteBuffer.allocate(64)
                .putInt(0xCAFEBABE)
                .putShort((short) 0)
                .putShort((short) 61)
                .array();

        assertThat(ContentTypes.detect(cls)).isEqualTo("application/java-vm");
        assertThat(refused(cls)).isTrue();
    }

    @Test
    void htmlIsRefusedWhateverItsCaseOrLeadingWhitespace() {
        assertThat(refused(ascii("<!DOCTYPE html><html><body>hi</body></html>")))
                .isTrue();
        assertThat(refused(ascii("\r\n  <HTML><script>alert(1)</script>"))).isTrue();
        assertThat(refused(ascii("<html><head><title>x</title></head></html>"))).isTrue();
    }

    @Test
    void svgIsRefusedWithOrWithoutAnXmlDeclaration() {
        assertThat(refused(ascii("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")))
                .isTrue();
        assertThat(refused(ascii("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>")))
                .isTrue();
    }

    @Test
    void imagesArchivesAndTextAreAccepted() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};

        assertThat(ContentTypes.detect(png)).isEqualTo("image/png");
        assertThat(ContentTypes.detect(jpeg)).isEqualTo("image/jpeg");
        assertThat(refused(png)).isFalse();
        assertThat(refused(jpeg)).isFalse();
        assertThat(refused(ascii("GIF89a\1\0\1\0"))).isFalse();
        assertThat(refused(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0})).isFalse();
        assertThat(refused(ascii("just some notes\n"))).isFalse();
        assertThat(refused(new byte[0])).isFalse();
    }

    @Test
    void namesIncludeTheBaseTypeAliasesAndSupertypes() {
        assertThat(ContentTypes.namesOf("application/x-msdownload; format=pe32"))
                .contains("application/x-msdownload; format=pe32", "application/x-msdownload");
        assertThat(ContentTypes.namesOf("image/svg+xml")).contains("image/svg+xml", "application/xml");
        assertThat(ContentTypes.namesOf("application/x-executable")).contains("application/x-elf");
        assertThat(ContentTypes.namesOf("image/png")).containsExactly("image/png");
        assertThat(ContentTypes.namesOf("text/plain")).containsExactly("text/plain");
    }

    @Test
    void imageWildcardOfAnAllowListMatchesDetectedImages() {
        UploadPolicy images =
                new UploadPolicy(UploadPolicy.Mode.ALLOW, java.util.List.of(), java.util.List.of("image/*"));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

        assertThat(images.acceptsType(ContentTypes.namesOf(ContentTypes.detect(png))))
                .isTrue();
        assertThat(images.acceptsType(ContentTypes.namesOf(ContentTypes.detect(ascii("plain text")))))
                .isFalse();
        assertThat(images.acceptsType(ContentTypes.namesOf(ContentTypes.detect(pe(0x80, 0x14C)))))
                .isFalse();
    }
}
