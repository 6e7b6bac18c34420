package pomf.admin.boundary;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.HashMap;
import java.util.Map;
import pomf.admin.control.FileCriteria;
import pomf.admin.entity.FilePage;
import pomf.problem.entity.ProblemException;

/** The search's query string: the criteria plus {@code page} (from 1) and {@code size} (at most 200). */
record FileSearchQuery(FileCriteria criteria, int page, int size) {
    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 200;
    static final int MAX_PAGE = 1_000_000;

    static FileSearchQuery of(MultivaluedMap<String, String> query) {
        Map<String, String> fields = new HashMap<>();
        query.forEach((key, values) -> {
            if (values.size() > 1) {
                throw ProblemException.badRequest(key + ": given more than once");
            }
            fields.put(key, values.isEmpty() ? "" : values.get(0));
        });
        int page = number(fields.remove("page"), "page", 1, MAX_PAGE, 1);
        int size = number(fields.remove("size"), "size", 1, MAX_SIZE, DEFAULT_SIZE);
        return new FileSearchQuery(FileCriteria.parse(fields), page, size);
    }

    JsonObject run(FileCatalog catalog) {
        FilePage result = catalog.search(criteria, (long) (page - 1) * size, size);
        JsonArrayBuilder items = Json.createArrayBuilder();
        result.items().forEach(row -> items.add(row.toJson()));
        return Json.createObjectBuilder()
                .add("items", items)
                .add("page", page)
                .add("size", size)
                .add("sort", criteria.sort().key())
                .add("total", result.total())
                .add("totalCapped", result.capped())
                .build();
    }

    private static int number(String text, String field, int min, int max, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ProblemException.badRequest(field + ": expected a whole number from " + min + " to " + max);
    }
}
