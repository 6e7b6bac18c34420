package pomf.report.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportServletTest {
    @Test
    void theStoredNameComesFromALinkAPathOrABareName() {
        assertThat(ReportServlet.storedName("https://files.example/f/abc123.mp4"))
                .hasValue("abc123.mp4");
        assertThat(ReportServlet.storedName("https://cdn.example/abc123.mp4?x=1"))
                .hasValue("abc123.mp4");
        assertThat(ReportServlet.storedName("/f/abc123.tar.gz")).hasValue("abc123.tar.gz");
        assertThat(ReportServlet.storedName("abc123.mp4")).hasValue("abc123.mp4");
    }

    @Test
    void anythingElseIsNoName() {
        assertThat(ReportServlet.storedName("")).isEmpty();
        assertThat(ReportServlet.storedName("https://files.example/")).isEmpty();
        assertThat(ReportServlet.storedName("https://files.example/f/..%2F..%2Fetc%2Fpasswd"))
                .isEmpty();
        // A last segment of a name's shape is looked up (and not found) like any other name: no path is ever read.
        assertThat(ReportServlet.storedName("https://files.example/f/../../etc/passwd"))
                .hasValue("passwd");
        assertThat(ReportServlet.storedName("not a url at all")).isEmpty();
        assertThat(ReportServlet.storedName("x".repeat(501))).isEmpty();
    }
}
