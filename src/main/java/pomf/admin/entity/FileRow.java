package pomf.admin.entity;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.LocalDateTime;

/** One stored file as a search lists it: the content, how often it was uploaded, its first name, last uploader. */
public record FileRow(
        String name,
        String sha1,
        String sha256,
        long size,
        String contentType,
        LocalDateTime createdAt,
        long uploads,
        String firstName,
        String lastAddress,
        boolean banned) {

    public JsonObject toJson() {
        return fields().build();
    }

    JsonObjectBuilder fields() {
        JsonObjectBuilder json = jakarta.json.Json.createObjectBuilder()
                .add("name", name)
                .add("sha1", sha1)
                .add("sha256", sha256)
                .add("size", size)
                .add("contentType", contentType)
                .add("createdAt", JsonFields.time(createdAt))
                .add("uploads", uploads)
                .add("banned", banned);
        JsonFields.add(json, "firstName", firstName);
        return JsonFields.add(json, "lastAddress", lastAddress);
    }
}
