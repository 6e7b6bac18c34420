package pomf.admin.entity;

import jakarta.json.JsonObject;
import java.util.List;

/** A link with every upload of its bytes under any link (oldest first) and, when banned, the ban's reason. */
public record FileDetail(FileRow file, String banReason, List<UploadRow> uploadRows) {

    public JsonObject toJson() {
        var uploads = jakarta.json.Json.createArrayBuilder();
        uploadRows.forEach(u -> uploads.add(u.toJson()));
        return JsonFields.add(file.fields(), "banReason", banReason)
                .add("uploadList", uploads)
                .build();
    }
}
