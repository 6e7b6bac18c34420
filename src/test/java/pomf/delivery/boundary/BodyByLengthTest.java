package pomf.delivery.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyByLengthTest {
    /** A container stream that never ends by itself, as Grizzly's after an Upgrade header: more bytes follow. */
    static ServletInputStream endless(String bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes.getBytes(StandardCharsets.US_ASCII));
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public int available() {
                return in.available();
            }

            @Override
            public boolean isFinished() {
                return false;
            }

            @Override
            public boolean isReady() {
                return false;
            }

            @Override
            public void setReadListener(ReadListener listener) {}
        };
    }

    @Test
    void readsEndAtTheDeclaredLengthAndNoByteBeyond() throws IOException {
        BodyByLength.LengthBound body = new BodyByLength.LengthBound(endless("{\"a\":1}GET / HTTP/1.1\r\n"), 7);
        assertThat(body.isFinished()).isFalse();
        assertThat(body.available()).isEqualTo(7);
        assertThat(body.read()).isEqualTo('{');
        byte[] rest = new byte[64];
        assertThat(body.read(rest, 0, rest.length)).isEqualTo(6);
        assertThat(new String(rest, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("\"a\":1}");
        assertThat(body.read(rest, 0, rest.length)).isEqualTo(-1);
        assertThat(body.read()).isEqualTo(-1);
        assertThat(body.read(rest, 0, 0)).isZero();
        assertThat(body.isFinished()).isTrue();
        assertThat(body.isReady()).isTrue();
        assertThat(body.available()).isZero();
    }

    @Test
    void aBodyOfNoDeclaredLengthIsEmpty() throws IOException {
        BodyByLength.LengthBound body = new BodyByLength.LengthBound(endless("PRI * HTTP/2.0"), 0);
        assertThat(body.read()).isEqualTo(-1);
        assertThat(body.isFinished()).isTrue();
    }
}
