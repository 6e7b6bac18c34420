package pomf.admin.boundary;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import pomf.problem.entity.ProblemException;

/** Reading the admin API's small JSON bodies strictly: a wrong type is a 400 naming the field, not a default. */
final class JsonBodies {
    private JsonBodies() {}

    static JsonObject object(String body, boolean required) {
        if (body == null || body.isBlank()) {
            if (required) {
                throw ProblemException.badRequest("the body must be a JSON object");
            }
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw ProblemException.badRequest("the body must be a JSON object");
        }
    }

    static String string(JsonObject json, String field, int max, String fallback) {
        JsonValue value = json.get(field);
        if (value == null || value == JsonValue.NULL) {
            return fallback;
        }
        if (!(value instanceof JsonString s)) {
            throw ProblemException.badRequest(field + ": expected a string");
        }
        String text = s.getString().trim();
        if (text.length() > max) {
            throw ProblemException.badRequest(field + ": expected at most " + max + " characters");
        }
        return text.isEmpty() ? fallback : text;
    }

    static boolean bool(JsonObject json, String field, boolean fallback) {
        JsonValue value = json.get(field);
        if (value == null || value == JsonValue.NULL) {
            return fallback;
        }
        if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
            throw ProblemException.badRequest(field + ": expected true or false");
        }
        return value == JsonValue.TRUE;
    }
}
