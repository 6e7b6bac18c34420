package pomf.problem.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import pomf.it.deployments.StandIn;

/**
 * The container's error page as the servlet answers it: the container's request and response are stand-ins that
 * note every call, in order, so the test sees what was reset, set and written.
 */
class ErrorAnswerTest {
    private static final String PAGE = "<!doctype html><title>Error</title><p>Sorry.</p>\n";

    private final List<String> calls = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private static ErrorAnswer servlet(String page) throws Exception {
        ServletContext context = StandIn.of(ServletContext.class, (method, args) -> {
            if (method.equals("getResourceAsStream") && args[0].equals("/WEB-INF/error.html")) {
                return page == null ? null : new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8));
            }
            throw new AssertionError("unexpected call " + method);
        });
        ServletConfig config = StandIn.of(ServletConfig.class, (method, args) -> {
            if (method.equals("getServletContext")) {
                return context;
            }
            if (method.equals("getInitParameter")) {
                return null; // HttpServlet asks for its own options (legacyDoHead): none set
            }
            throw new AssertionError("unexpected call " + method);
        });
        ErrorAnswer servlet = new ErrorAnswer();
        servlet.init(config);
        return servlet;
    }

    private static HttpServletRequest request(String method, Object status) {
        return StandIn.of(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getAttribute" -> RequestDispatcher.ERROR_STATUS_CODE.equals(args[0]) ? status : null;
            case "getMethod" -> method;
            default -> throw new AssertionError("unexpected call " + name);
        });
    }

    private HttpServletResponse response(boolean committed) {
        return StandIn.of(HttpServletResponse.class, (name, args) -> {
            calls.add(name + (args.length == 0 ? "" : Arrays.toString(args)));
            return switch (name) {
                case "isCommitted" -> committed;
                case "getOutputStream" ->
                    new ServletOutputStream() {
                        @Override
                        public boolean isReady() {
                            return true;
                        }

                        @Override
                        public void setWriteListener(WriteListener listener) {}

                        @Override
                        public void write(int b) {
                            body.write(b);
                        }
                    };
                case "sendError", "reset", "setStatus", "setHeader", "setContentType", "setContentLength" -> null;
                default -> throw new AssertionError("unexpected call " + name);
            };
        });
    }

    @Test
    void aFailureIsAnsweredWithItsStatusThePageAndNoStoreAfterEverythingItHadSetIsGone() throws Exception {
        ErrorAnswer servlet = servlet(PAGE);

        servlet.service(request("GET", 404), response(false));

        int length = PAGE.getBytes(StandardCharsets.UTF_8).length;
        assertThat(calls)
                .containsExactly(
                        "isCommitted",
                        "reset",
                        "setStatus[404]",
                        "setHeader[Cache-Control, no-store]",
                        "setHeader[X-Content-Type-Options, nosniff]",
                        "setContentType[text/html; charset=UTF-8]",
                        "setContentLength[" + length + "]",
                        "getOutputStream");
        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo(PAGE);
    }

    @Test
    void aStatusThatIsNoErrorIsAnsweredAs500() throws Exception {
        ErrorAnswer servlet = servlet(PAGE);

        servlet.service(request("GET", 206), response(false));
        assertThat(calls).contains("setStatus[500]").doesNotContain("setStatus[206]");

        calls.clear();
        servlet.service(request("GET", 503), response(false));
        assertThat(calls).contains("setStatus[503]");
    }

    @Test
    void aHeadRequestGetsTheLengthButNoBody() throws Exception {
        ErrorAnswer servlet = servlet(PAGE);

        servlet.service(request("HEAD", 500), response(false));

        assertThat(calls)
                .contains("setStatus[500]", "setContentLength[" + PAGE.getBytes(StandardCharsets.UTF_8).length + "]")
                .doesNotContain("getOutputStream");
        assertThat(body.size()).isZero();
    }

    @Test
    void thePageAskedForDirectlyDoesNotExist() throws Exception {
        ErrorAnswer servlet = servlet(PAGE);

        servlet.service(request("GET", null), response(false));
        assertThat(calls).containsExactly("sendError[404]");

        calls.clear();
        servlet.service(request("GET", "404"), response(false)); // not the container's Integer
        assertThat(calls).containsExactly("sendError[404]");
        assertThat(body.size()).isZero();
    }

    @Test
    void anAnswerAlreadyUnderWayIsLeftAlone() throws Exception {
        ErrorAnswer servlet = servlet(PAGE);

        servlet.service(request("GET", 500), response(true));

        assertThat(calls).containsExactly("isCommitted");
        assertThat(body.size()).isZero();
    }

    @Test
    void withoutItsPageFileAPlainSentenceIsAnswered() throws Exception {
        ErrorAnswer servlet = servlet(null);

        servlet.service(request("GET", 500), response(false));

        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("Something went wrong.\n");
        assertThat(calls).contains("setContentLength[22]");
    }
}
