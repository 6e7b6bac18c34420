package pomf.admin.entity;

import jakarta.json.JsonObject;
import java.time.LocalDateTime;

/** One upload of a file's bytes, under its link (stored name), as the file's detail shows it. */
public record UploadRow(
        String originalName, String address, LocalDateTime createdAt, LocalDateTime expiresAt, String link) {

    public JsonObject toJson() {
        var json = jakarta.json.Json.createObjectBuilder()
                .add("originalName", originalName)
                .add("link", link);
        JsonFields.add(json, "address", address);
        json.add("createdAt", JsonFields.time(createdAt));
        return JsonFields.add(json, "expiresAt", JsonFields.time(expiresAt)).build();
    }
}
