package pomf.it.deployments;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A settings bean filled in as the container would, for unit tests: each {@link ConfigProperty} field gets the
 * given value or else its default at the injection point, then the {@link PostConstruct} method runs. A key that no
 * field of the bean reads fails the test, so a test names the real key, not a field.
 */
public final class ConfigInjection {
    private ConfigInjection() {}

    public static <T> T inject(T bean, Map<String, String> values) {
        Set<String> unused = new HashSet<>(values.keySet());
        fill(bean, values, unused);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException(bean.getClass().getSimpleName() + " reads no setting named " + unused);
        }
        return bean;
    }

    /**
     * Fills {@code bean}; an injected field whose type is another settings bean (one with {@link ConfigProperty}
     * fields, such as {@code HttpSettings}) gets a new one, filled from the same values first.
     */
    private static void fill(Object bean, Map<String, String> values, Set<String> unused) {
        try {
            for (Field field : bean.getClass().getDeclaredFields()) {
                ConfigProperty property = field.getAnnotation(ConfigProperty.class);
                if (property == null) {
                    if (field.isAnnotationPresent(Inject.class) && readsSettings(field.getType())) {
                        Object inner = field.getType().getDeclaredConstructor().newInstance();
                        fill(inner, values, unused);
                        field.setAccessible(true);
                        field.set(bean, inner);
                    }
                    continue;
                }
                unused.remove(property.name());
                String value = values.containsKey(property.name())
                        ? values.get(property.name())
                        : ConfigProperty.UNCONFIGURED_VALUE.equals(property.defaultValue())
                                ? null
                                : property.defaultValue();
                field.setAccessible(true);
                field.set(bean, convert(field.getGenericType(), value, property.name()));
            }
            for (Method method : bean.getClass().getDeclaredMethods()) {
                if (method.isAnnotationPresent(PostConstruct.class)) {
                    method.setAccessible(true);
                    method.invoke(bean);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean readsSettings(Class<?> type) {
        for (Field field : type.getDeclaredFields()) {
            if (field.isAnnotationPresent(ConfigProperty.class)) {
                return true;
            }
        }
        return false;
    }

    private static Object convert(Type type, String value, String name) {
        if (type instanceof ParameterizedType optional && optional.getRawType() == Optional.class) {
            return Optional.ofNullable(
                    value == null ? null : convert(optional.getActualTypeArguments()[0], value, name));
        }
        if (value == null) {
            throw new IllegalArgumentException(name + " has no default and no value was given");
        }
        if (type == int.class || type == Integer.class) {
            return Integer.parseInt(value.trim());
        }
        if (type == long.class || type == Long.class) {
            return Long.parseLong(value.trim());
        }
        if (type == boolean.class || type == Boolean.class) {
            return Boolean.parseBoolean(value.trim());
        }
        if (type == String.class) {
            return value;
        }
        throw new IllegalArgumentException(name + ": no conversion to " + type);
    }
}
