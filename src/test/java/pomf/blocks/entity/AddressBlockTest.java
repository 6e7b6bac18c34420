package pomf.blocks.entity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.lang.reflect.Field;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class AddressBlockTest {
    /** As the database gives it once stored. */
    private static AddressBlock stored(AddressBlock block, long id) throws ReflectiveOperationException {
        Field field = AddressBlock.class.getDeclaredField("id");
        field.setAccessible(true);
        field.set(block, id);
        return block;
    }

    @Test
    void aBlockIsWrittenWithItsTimesAsUtcInstants() throws Exception {
        AddressBlock block = stored(
                new AddressBlock(
                        "203.0.113.0/24",
                        "spam",
                        "alice",
                        LocalDateTime.of(2026, 11, 1, 10, 30),
                        LocalDateTime.of(2026, 11, 8, 10, 30, 0, 250_000_000)),
                7);

        JsonObject json = block.toJson();

        assertThat(json.keySet()).containsExactly("id", "cidr", "reason", "createdBy", "createdAt", "expiresAt");
        assertThat(json.getJsonNumber("id").longValue()).isEqualTo(7);
        assertThat(json.getString("cidr")).isEqualTo("203.0.113.0/24");
        assertThat(json.getString("reason")).isEqualTo("spam");
        assertThat(json.getString("createdBy")).isEqualTo("alice");
        assertThat(json.getString("createdAt")).isEqualTo("2026-11-01T10:30:00Z");
        assertThat(json.getString("expiresAt")).isEqualTo("2026-11-08T10:30:00.250Z");
    }

    @Test
    void aBlockUntilRemovedHasANullExpiry() throws Exception {
        AddressBlock block = stored(
                new AddressBlock("2001:db8::/48", "abuse", "api-token", LocalDateTime.of(2026, 11, 1, 0, 0), null), 8);

        assertThat(block.getExpiresAt()).isNull();
        assertThat(block.toJson().get("expiresAt")).isEqualTo(JsonValue.NULL);
        assertThat(block.toJson().getString("createdBy")).isEqualTo("api-token");
    }
}
