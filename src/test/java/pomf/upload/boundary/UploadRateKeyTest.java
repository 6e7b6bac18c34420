package pomf.upload.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import pomf.blocks.control.BlockList;
import pomf.caps.boundary.InFlightCaps;
import pomf.it.deployments.ConfigInjection;
import pomf.it.deployments.StandIn;
import pomf.metrics.control.Traffic;
import pomf.upload.control.UploadSettings;

/**
 * Which clients share an upload rate limit: an IPv6 client owns a /64, so its addresses are one client. The
 * requests carry no body: one that passes the limit is refused for that (400), one that does not gets 429.
 */
class UploadRateKeyTest {
    private final UploadServlet servlet = new UploadServlet();

    UploadRateKeyTest() {
        servlet.settings = ConfigInjection.inject(
                new UploadSettings(), Map.of("pomf.upload.rate-limit", "1", "pomf.upload.rate-burst", "1"));
        // The in-flight caps are off here: each request gives its slot back at once anyway (HoldTest).
        servlet.caps = ConfigInjection.inject(new InFlightCaps(), Map.of("pomf.upload.in-flight-per-client", "0"));
        servlet.traffic = new Traffic() {
            @Override
            public void refused(int status) {}
        };
        // No address is blocked here (the blocks are read from the database: FilesIT tests them).
        servlet.blocks = new BlockList() {
            @Override
            public Optional<Active> covering(String address) {
                return Optional.empty();
            }
        };
    }

    @Test
    void addressesInOneSlash64ShareTheLimit() throws Exception {
        assertThat(post("2001:db8:aa:bb::1")).isEqualTo(400);
        assertThat(post("2001:db8:aa:bb:1234:5678:9abc:def0")).isEqualTo(429);
        assertThat(post("2001:db8:aa:bc::1")).as("the next /64").isEqualTo(400);
    }

    @Test
    void anIpv4MappedAddressIsItsIpv4Address() throws Exception {
        assertThat(post("192.0.2.44")).isEqualTo(400);
        assertThat(post("::ffff:192.0.2.44")).isEqualTo(429);
        assertThat(post("192.0.2.45")).isEqualTo(400);
    }

    private int post(String address) throws Exception {
        HttpServletRequest request = stub(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getRemoteAddr" -> address;
            case "getHeader", "getQueryString", "getContentType" -> null;
            default -> throw new UnsupportedOperationException(name);
        });
        AtomicInteger status = new AtomicInteger();
        ServletOutputStream body = new ServletOutputStream() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {}

            @Override
            public void write(int b) {
                bytes.write(b);
            }
        };
        HttpServletResponse response = stub(HttpServletResponse.class, (name, args) -> switch (name) {
            case "isCommitted" -> false;
            case "setStatus" -> {
                status.set((Integer) args[0]);
                yield null;
            }
            case "setHeader", "setContentType", "setContentLength" -> null;
            case "getOutputStream" -> body;
            default -> throw new UnsupportedOperationException(name);
        });
        servlet.doPost(request, response);
        return status.get();
    }

    private static <T> T stub(Class<T> type, StandIn.Answer answer) {
        return StandIn.of(type, answer);
    }
}
