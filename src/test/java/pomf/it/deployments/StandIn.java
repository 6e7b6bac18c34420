package pomf.it.deployments;

import java.lang.reflect.Proxy;

/**
 * A stand-in for a container interface in a unit test (a servlet request or response, an async context): each call
 * is answered by the test, by method name, and a call it does not expect fails the test.
 */
public final class StandIn {
    private StandIn() {}

    /** How a stand-in answers a call: by the method's name and its arguments (never null). */
    public interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    public static <T> T of(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(
                type.getClassLoader(),
                new Class<?>[] {type},
                (proxy, method, args) -> answer.answer(method.getName(), args == null ? new Object[0] : args));
    }
}
