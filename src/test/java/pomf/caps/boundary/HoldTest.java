package pomf.caps.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pomf.caps.control.ClientSlots;
import pomf.it.deployments.StandIn;

/** A request's slot goes back exactly once, whichever of its ends comes first, and only once the request is over. */
class HoldTest {
    private final ClientSlots slots = new ClientSlots(2);
    private final Map<String, Object> attributes = new HashMap<>();
    private final List<AsyncListener> listeners = new ArrayList<>();
    private final ServletRequest request = stub(ServletRequest.class, (name, args) -> switch (name) {
        case "setAttribute" -> attributes.put((String) args[0], args[1]);
        case "getAttribute" -> attributes.get((String) args[0]);
        default -> throw new UnsupportedOperationException(name);
    });
    private final AsyncContext context = stub(AsyncContext.class, (name, args) -> switch (name) {
        case "addListener" -> listeners.add((AsyncListener) args[0]);
        case "getRequest" -> request;
        case "complete" -> null;
        default -> throw new UnsupportedOperationException(name);
    });

    @Test
    void aRequestAnsweredInItsDispatchGivesItsSlotBackAtItsEnd() {
        Hold hold = Hold.take(slots, "a", request);
        assertThat(slots.held("a")).isEqualTo(1);
        hold.leave();
        assertThat(slots.held("a")).isZero();
    }

    @Test
    void anAsynchronousRequestKeepsItsSlotPastItsDispatchUntilItCompletes() throws Exception {
        Hold hold = Hold.take(slots, "a", request);
        Hold.attach(request, context);
        hold.leave();
        assertThat(slots.held("a")).as("still in flight").isEqualTo(1);
        Hold.complete(context);
        assertThat(slots.held("a")).isZero();
        // The container's report comes too (or not at all): the slot is not given back twice.
        Hold.take(slots, "a", request);
        listeners.get(0).onComplete(null);
        listeners.get(0).onError(null);
        assertThat(slots.held("a")).as("another request's slot").isEqualTo(1);
    }

    @Test
    void theContainersReportAloneGivesTheSlotBack() throws Exception {
        Hold.take(slots, "a", request).leave();
        Hold hold = Hold.take(slots, "b", request);
        Hold.attach(request, context);
        hold.leave();
        listeners.get(0).onError(null);
        assertThat(slots.held("b")).isZero();
    }

    @Test
    void aClientAtItsCapGetsNoSlot() {
        Hold.take(slots, "a", request);
        Hold.take(slots, "a", request);
        assertThat(Hold.take(slots, "a", request)).isNull();
        assertThat(Hold.of(request)).isNotSameAs(Hold.NONE);
    }

    private static <T> T stub(Class<T> type, StandIn.Answer answer) {
        return StandIn.of(type, answer);
    }
}
