package pomf.admin.entity;

import jakarta.json.JsonObject;
import java.time.LocalDateTime;

/** A content hash refused at upload, with why and since when. */
public record Ban(String hash, String reason, LocalDateTime createdAt) {

    public JsonObject toJson() {
        var json = jakarta.json.Json.createObjectBuilder().add("hash", hash);
        JsonFields.add(json, "reason", reason);
        return json.add("createdAt", JsonFields.time(createdAt)).build();
    }
}
