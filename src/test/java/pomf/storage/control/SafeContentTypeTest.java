package pomf.storage.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SafeContentTypeTest {
    private static final String PLAIN = "text/plain; charset=UTF-8";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text/html",
                "TEXT/HTML; charset=ISO-8859-1",
                "application/xhtml+xml",
                "image/svg+xml",
                "text/xml",
                "application/xml",
                "text/javascript",
                "application/javascript",
                "application/x-javascript",
                "application/ecmascript",
                "text/ecmascript",
                "application/x-shockwave-flash",
                "text/xsl",
                "application/xslt+xml",
                "application/rdf+xml",
                "application/mathml+xml",
                "application/atom+xml",
                "application/rss+xml",
                "text/vtt",
                "multipart/x-mixed-replace; boundary=x",
                " text/html "
            })
    void typesABrowserWouldRunScriptFromAreSentAsPlainText(String detected) {
        assertThat(SafeContentType.of(detected)).isEqualTo(PLAIN);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "image/png|image/png",
                "image/jpeg|image/jpeg",
                "image/gif|image/gif",
                "IMAGE/WEBP|image/webp",
                "video/mp4|video/mp4",
                "audio/mpeg|audio/mpeg",
                "application/pdf|application/pdf",
                "application/zip|application/zip",
                "application/x-msdownload; format=pe32|application/x-msdownload",
                "text/css|text/css",
                "text/plain|text/plain; charset=UTF-8",
                "text/plain; charset=ISO-8859-1|text/plain; charset=UTF-8",
                "application/octet-stream|application/octet-stream",
            })
    void otherTypesKeepTheirBaseType(String detected, String served) {
        assertThat(SafeContentType.of(detected)).isEqualTo(served);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void unknownTypeIsAnOctetStream(String detected) {
        assertThat(SafeContentType.of(detected)).isEqualTo("application/octet-stream");
    }
}
