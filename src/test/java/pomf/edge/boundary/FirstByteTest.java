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

    @Test
    void aClosedRangeTellsWhereTheBodyEnds() {
        assertThat(EdgeCacheFilter.lastByte("bytes=5-10")).isEqualTo(10);
        assertThat(EdgeCacheFilter.lastByte("bytes=0-0")).isZero();
        assertThat(EdgeCacheFilter.lastByte("Bytes=31426683-31427683")).isEqualTo(31427683);
    }

    @Test
    void anOpenOrOddRangeHasNoEnd() {
        for (String range : new String[] {
            null,
            "",
            "bytes=5-",
            "bytes=-500",
            "bytes=0-10,20-30",
            "bytes=10-5",
            "bytes=5-1x",
            "bytes=x-10",
            "items=0-10",
            "bytes=0-99999999999999999999999"
        }) {
            assertThat(EdgeCacheFilter.lastByte(range))
                    .as(String.valueOf(range))
                    .isEqualTo(-1);
        }
    }
}
