package pomf.delivery.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an answer took is what its source handed out, from its start, told once when it ends. */
class TakenTest {

    /** A source of {@code size} bytes, 10 at a time. */
    static BodySource bytes(int size) {
        byte[] all = new byte[size];
        return (position, max, piece, wake) -> {
            piece.set(all, (int) position, (int) Math.min(Math.min(10, max), size - position));
            return true;
        };
    }

    @Test
    void countsFromTheStartToTheFurthestByteHandedOutOnce() throws Exception {
        List<Long> told = new ArrayList<>();
        Taken taken = new Taken(bytes(100), 30, told::add);
        Piece piece = new Piece();
        assertThat(taken.next(30, 64, piece, null)).isTrue();
        assertThat(taken.next(40, 64, piece, null)).isTrue();
        assertThat(told).isEmpty();
        taken.close();
        taken.close();
        assertThat(told).containsExactly(20L);
    }

    @Test
    void anAnswerThatEndsBeforeItsFirstByteTookNothing() {
        List<Long> told = new ArrayList<>();
        new Taken(bytes(100), 50, told::add).close();
        assertThat(told).containsExactly(0L);
    }
}
