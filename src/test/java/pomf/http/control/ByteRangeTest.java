package pomf.http.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {
    private static final long SIZE = 100;

    private static ByteRange.Outcome partial(long start, long end) {
        return new ByteRange.Partial(new ByteRange(start, end));
    }

    @ParameterizedTest(name = "{0} of 100 bytes is {1}-{2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bytes=0-9|0|9",
                "bytes=5-|5|99",
                "bytes=-5|95|99",
                "bytes=-100|0|99",
                "bytes=-1000|0|99",
                "bytes=0-99|0|99",
                "bytes=0-100|0|99",
                "bytes=90-9999999999|90|99",
                "bytes=99-99|99|99",
                "bytes=0-0|0|0",
                "bytes=0-|0|99",
                "'bytes = 10 - 19 '|10|19",
                "bytes=-9999999999999999999|0|99",
            })
    void singleRangeIsPartial(String header, long start, long end) {
        ByteRange.Outcome outcome = ByteRange.evaluate(header, SIZE);

        assertThat(outcome).isEqualTo(partial(start, end));
        assertThat(((ByteRange.Partial) outcome).range().length()).isEqualTo(end - start + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=-0", "bytes=100-", "bytes=100-200", "bytes=5000-", "bytes=9999999999999999999-"})
    void rangeOutsideTheFileIsUnsatisfiable(String header) {
        assertThat(ByteRange.evaluate(header, SIZE)).isEqualTo(new ByteRange.Unsatisfiable());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                "bytes=",
                "bytes=-",
                "bytes=0-1,5-6",
                "bytes=0-1, 5-6",
                "items=0-9",
                "bytes 0-9",
                "bytes=a-b",
                "bytes=9-5",
                "bytes=1-2-3",
                "garbage",
                "bytes=99999999999999999999-",
                "bytes=--5",
                "bytes=+1-2",
                // first past the long range, last below it: last < first, an invalid range (found by fuzzing)
                "bytes=9223372036854775808-9223372036854775807",
                "bytes=9999999999999999999-9223372036854775807"
            })
    void multipleRangesGarbageAndOtherUnitsGiveTheWholeFile(String header) {
        assertThat(ByteRange.evaluate(header, SIZE)).isEqualTo(new ByteRange.Whole());
    }

    @Test
    void endBeyondTheFileIsClampedToTheLastByte() {
        assertThat(ByteRange.evaluate("bytes=50-" + Long.MAX_VALUE, SIZE)).isEqualTo(partial(50, 99));
    }

    @Test
    void suffixLargerThanTheFileIsTheWholeFileAsAPartialResponse() {
        assertThat(ByteRange.evaluate("bytes=-500", 10)).isEqualTo(partial(0, 9));
    }

    @Test
    void oneByteFile() {
        assertThat(ByteRange.evaluate("bytes=0-", 1)).isEqualTo(partial(0, 0));
        assertThat(ByteRange.evaluate("bytes=-1", 1)).isEqualTo(partial(0, 0));
        assertThat(ByteRange.evaluate("bytes=1-", 1)).isEqualTo(new ByteRange.Unsatisfiable());
    }

    @Test
    void emptyFileSatisfiesNoRangeButIsSentWholeWithoutOne() {
        assertThat(ByteRange.evaluate("bytes=0-", 0)).isEqualTo(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.evaluate("bytes=0-0", 0)).isEqualTo(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.evaluate("bytes=-5", 0)).isEqualTo(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.evaluate(null, 0)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.evaluate("bytes=0-1,2-3", 0)).isEqualTo(new ByteRange.Whole());
    }

    @Test
    void largeFilesBeyondIntRange() {
        long size = 5L * 1024 * 1024 * 1024;

        assertThat(ByteRange.evaluate("bytes=4294967296-", size)).isEqualTo(partial(4294967296L, size - 1));
        assertThat(ByteRange.evaluate("bytes=-1", size)).isEqualTo(partial(size - 1, size - 1));
    }

    @Test
    void theUnitIsCaseInsensitive() {
        assertThat(ByteRange.evaluate("Bytes=0-1", 10)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 1)));
    }
}
