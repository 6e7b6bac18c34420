package pomf.traffic.control;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import pomf.names.control.StoredNames;
import pomf.traffic.entity.Batch;
import pomf.traffic.entity.FileHourRow;
import pomf.traffic.entity.MinuteRow;

/**
 * A batch as an edge sends it to the origin, and its strict reading: any unknown, missing or out-of-range field
 * refuses the whole batch (nothing of it is written). Times are UTC instants ({@code 2025-01-31T10:15:00Z}).
 */
public final class BatchJson {
    public static final int MAX_BYTES = 8 << 20;
    public static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    static final String[] COUNTS = {
        "requests",
        "bytesSent",
        "status2xx",
        "status3xx",
        "status4xx",
        "status5xx",
        "hits",
        "misses",
        "stale",
        "revalidated",
        "bytesFromOrigin"
    };
    /** Records this old are refused: no pending queue holds them, and their partitions may be gone. */
    static final long MAX_AGE_SECONDS = 62L * 86400;

    private static final Set<String> BATCH_FIELDS = Set.of("node", "batch", "minutes", "files");
    private static final Set<String> FILE_FIELDS = Set.of("name", "hour", "requests", "bytesSent");
    private static final Set<String> MINUTE_FIELDS = minuteFields();

    private BatchJson() {}

    public static String write(Batch batch) {
        JsonArrayBuilder minutes = Json.createArrayBuilder();
        for (MinuteRow row : batch.minutes()) {
            var o = Json.createObjectBuilder().add("role", row.role()).add("minute", instant(row.minute()));
            long[] counts = row.counts();
            for (int i = 0; i < COUNTS.length; i++) {
                o.add(COUNTS[i], counts[i]);
            }
            minutes.add(o);
        }
        JsonArrayBuilder files = Json.createArrayBuilder();
        for (FileHourRow row : batch.files()) {
            files.add(Json.createObjectBuilder()
                    .add("name", row.fileName())
                    .add("hour", instant(row.hour()))
                    .add("requests", row.requests())
                    .add("bytesSent", row.bytesSent()));
        }
        return Json.createObjectBuilder()
                .add("node", batch.node())
                .add("batch", batch.id().toString())
                .add("minutes", minutes)
                .add("files", files)
                .build()
                .toString();
    }

    /** @throws IllegalArgumentException saying what is wrong */
    public static Batch parse(String text, long nowSeconds) {
        JsonObject root;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            root = reader.readObject();
        } catch (JsonException | IllegalStateException | ClassCastException e) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        fields(root, BATCH_FIELDS, "the batch");
        String node = string(root, "node", "");
        if (!NODE.matcher(node).matches()) {
            throw new IllegalArgumentException("node must match " + NODE.pattern());
        }
        UUID id = uuid(string(root, "batch", ""));
        JsonArray minuteArray = array(root, "minutes", Batch.MAX_MINUTES);
        JsonArray fileArray = array(root, "files", Batch.MAX_FILES);
        List<MinuteRow> minutes = new ArrayList<>();
        for (int i = 0; i < minuteArray.size(); i++) {
            JsonObject o = object(minuteArray.get(i), "minutes[" + i + "]");
            fields(o, MINUTE_FIELDS, "minutes[" + i + "]");
            String role = string(o, "role", "minutes[" + i + "].");
            if (!role.equals(TrafficRecorder.ORIGIN) && !role.equals(TrafficRecorder.EDGE)) {
                throw new IllegalArgumentException("minutes[" + i + "].role must be origin or edge");
            }
            long[] counts = new long[COUNTS.length];
            for (int c = 0; c < COUNTS.length; c++) {
                counts[c] = count(o, COUNTS[c], "minutes[" + i + "]");
            }
            minutes.add(MinuteRow.of(role, time(o, "minute", 60, nowSeconds, "minutes[" + i + "]"), counts));
        }
        List<FileHourRow> files = new ArrayList<>();
        for (int i = 0; i < fileArray.size(); i++) {
            String where = "files[" + i + "]";
            JsonObject o = object(fileArray.get(i), where);
            fields(o, FILE_FIELDS, where);
            String name = string(o, "name", where + ".");
            if (!StoredNames.valid(name)) {
                throw new IllegalArgumentException(where + ".name is not a stored file's name");
            }
            files.add(new FileHourRow(
                    name,
                    time(o, "hour", 3600, nowSeconds, where),
                    count(o, "requests", where),
                    count(o, "bytesSent", where)));
        }
        return new Batch(node, id, minutes, files);
    }

    private static String instant(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds).toString();
    }

    private static void fields(JsonObject o, Set<String> expected, String where) {
        if (!o.keySet().equals(expected)) {
            throw new IllegalArgumentException(where + " must have exactly the fields " + expected);
        }
    }

    private static String string(JsonObject o, String name, String where) {
        if (o.get(name).getValueType() != JsonValue.ValueType.STRING) {
            throw new IllegalArgumentException(where + name + " must be a string");
        }
        return o.getString(name);
    }

    private static UUID uuid(String text) {
        try {
            UUID id = UUID.fromString(text);
            if (!id.toString().equals(text.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("batch must be a UUID");
        }
    }

    private static JsonArray array(JsonObject o, String name, int max) {
        if (o.get(name).getValueType() != JsonValue.ValueType.ARRAY) {
            throw new IllegalArgumentException(name + " must be an array");
        }
        JsonArray array = o.getJsonArray(name);
        if (array.size() > max) {
            throw new IllegalArgumentException(name + " holds more than " + max + " rows");
        }
        return array;
    }

    private static JsonObject object(JsonValue value, String where) {
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        return value.asJsonObject();
    }

    private static long count(JsonObject o, String name, String where) {
        JsonValue value = o.get(name);
        if (value.getValueType() != JsonValue.ValueType.NUMBER) {
            throw new IllegalArgumentException(where + "." + name + " must be a number");
        }
        try {
            long n = ((JsonNumber) value).bigDecimalValue().longValueExact();
            if (n < 0) {
                throw new ArithmeticException();
            }
            return n;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(where + "." + name + " must be a whole number from 0 to 2^63-1");
        }
    }

    private static long time(JsonObject o, String name, long unit, long nowSeconds, String where) {
        long seconds;
        try {
            Instant instant = Instant.parse(string(o, name, where + "."));
            if (instant.getNano() != 0) {
                throw new IllegalArgumentException(where + "." + name + " must be a whole " + unit + " s");
            }
            seconds = instant.getEpochSecond();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "." + name + " must be a UTC instant like 2025-01-31T10:15:00Z");
        }
        if (seconds % unit != 0) {
            throw new IllegalArgumentException(
                    where + "." + name + " must start a UTC " + (unit == 60 ? "minute" : "hour"));
        }
        if (seconds < nowSeconds - MAX_AGE_SECONDS || seconds > nowSeconds + 3600) {
            throw new IllegalArgumentException(where + "." + name + " is too far from now");
        }
        return seconds;
    }

    private static Set<String> minuteFields() {
        Set<String> fields = new HashSet<>(List.of(COUNTS));
        fields.add("role");
        fields.add("minute");
        return Set.copyOf(fields);
    }
}
