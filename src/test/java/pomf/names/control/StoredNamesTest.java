package pomf.names.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoredNamesTest {

    @Test
    void namesWithUpToTwoExtensionsAreNames() {
        assertThat(StoredNames.fromPath("/abc123")).isEqualTo("abc123");
        assertThat(StoredNames.fromPath("/abc123.mp4")).isEqualTo("abc123.mp4");
        assertThat(StoredNames.fromPath("/a.tar.gz")).isEqualTo("a.tar.gz");
        assertThat(StoredNames.valid("x".repeat(40) + "." + "y".repeat(12))).isTrue();
    }

    @Test
    void anythingElseIsNot() {
        for (String path : new String[] {
            "/",
            "",
            "abc",
            "/.mp4",
            "/abc.",
            "/abc..mp4",
            "/a.b.c.d",
            "/abc/def",
            "/abc%2e",
            "/ab c",
            "/../etc",
            "/" + "x".repeat(41),
            "/x." + "y".repeat(13),
            "/abc.mp4/",
            "/äbc"
        }) {
            assertThat(StoredNames.fromPath(path)).as(path).isNull();
        }
        assertThat(StoredNames.valid(null)).isFalse();
    }
}
