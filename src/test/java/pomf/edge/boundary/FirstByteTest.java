package pomf.edge.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FirstByteTest {

    @Test
    void aSimpleRangeTellsWhereTheBodyStarts() {
        assertThat(EdgeCacheFilter.firstByte("bytes=1048576-")).isEqualTo(1048576);
        assertThat(EdgeCacheFilter.firstByte("bytes=5-10")).isEqualTo(5);
        assertThat(EdgeCacheFilter.firstByte("BYTES=7-")).isEqualTo(7);
    }

    @Test
    void anythingElseStartsAtZero() {
        for (String range :
                new String[] {null, "", "bytes=-500", "bytes=", "bytes=x-", "items=5-", "bytes=99999999999999999999999-"
                }) {
            assertThat(EdgeCacheFilter.firstByte(range))
                    .as(String.valueOf(range))
                    .isZero();
        }
    }
}
