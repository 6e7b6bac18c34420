package pomf.admin.entity;

import jakarta.json.JsonObject;
import java.time.LocalDateTime;

/** One upload of a stored file, as the file's detail shows it. */
public record UploadRow(String originalName, String address, LocalDateTime createdAt, LocalDateTime expiresAt) {

    public JsonObject toJson() {
        var json = jakarta.json.Json.createObjectBuilder().add("originalName", originalName);
        Json.add(json, "address", address);
        json.add("createdAt", Json.time(createdAt));
        return Json.add(json, "expiresAt", Json.time(expiresAt)).build();
    }
}
