package pomf.caps.boundary;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import pomf.caps.control.ClientSlots;

/**
 * One request's slot among its client's ({@link ClientSlots}), held from the request's start to its end: the end of
 * its dispatch, or, when it went on asynchronously, its completion ({@link #complete}, which every asynchronous
 * ending of ours goes through) or the end the container reports ({@code onComplete}, {@code onError},
 * {@code onTimeout}), whichever comes first. Both are needed: Payara reports {@code onComplete} only for a response
 * it resumes, never for one whose connection closed first (a client that hung up), and the container may end a
 * request that none of ours completes. It is attached where the asynchronous context starts ({@link #attach}),
 * before anything could complete it, and given back once, however many ends are reported.
 */
public final class Hold implements AsyncListener {
    private static final String ATTRIBUTE = Hold.class.getName();
    private static final AtomicIntegerFieldUpdater<Hold> GIVEN_BACK =
            AtomicIntegerFieldUpdater.newUpdater(Hold.class, "givenBack");

    /** No slot (caps off, an exempt caller): nothing to give back. */
    static final Hold NONE = new Hold(null, null);

    private final ClientSlots slots;
    private final String client;
    private volatile int givenBack;
    /** Set on the request's own thread when its asynchronous context starts; read there at the dispatch's end. */
    private boolean attached;

    private Hold(ClientSlots slots, String client) {
        this.slots = slots;
        this.client = client;
    }

    /** A slot of {@code client}, taken, for {@code request}; null when the client holds all of its slots. */
    static Hold take(ClientSlots slots, String client, ServletRequest request) {
        if (!slots.take(client)) {
            return null;
        }
        Hold hold = new Hold(slots, client);
        request.setAttribute(ATTRIBUTE, hold);
        return hold;
    }

    /**
     * Where a request's asynchronous context starts (on the request's thread): its slot is held until the context
     * ends. Does nothing for a request that holds no slot.
     */
    public static void attach(ServletRequest request, AsyncContext context) {
        if (request.getAttribute(ATTRIBUTE) instanceof Hold hold && !hold.attached) {
            hold.attached = true;
            context.addListener(hold);
        }
    }

    /**
     * Completes an asynchronous request, then gives its slot back. The slot is found before: a completed request may
     * be recycled for another.
     */
    public static void complete(AsyncContext context) {
        Hold hold = of(context.getRequest());
        try {
            context.complete();
        } finally {
            hold.giveBack();
        }
    }

    /**
     * The request's slot ({@link #NONE} if it holds none): for what completes the request later, taken while the
     * request is surely its own (a completed request may be recycled for another).
     */
    public static Hold of(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Hold hold ? hold : NONE;
    }

    /** At the end of the request's dispatch: the slot goes back unless the request went on asynchronously. */
    public void leave() {
        if (slots != null && !attached) {
            giveBack();
        }
    }

    /** Gives the slot back, once, whoever calls. */
    public void giveBack() {
        if (slots != null && GIVEN_BACK.compareAndSet(this, 0, 1)) {
            slots.giveBack(client);
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        giveBack();
    }

    @Override
    public void onError(AsyncEvent event) {
        giveBack();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        giveBack();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // never restarted
    }
}
