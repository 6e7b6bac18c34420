package pomf.upload.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import pomf.upload.control.UploadSettings;

/**
 * ShareX in one click: {@code GET /sharex.sxcu} is a ShareX custom uploader for this instance (the Pomf API: a
 * multipart POST of {@code files[]} to {@code /upload.php}, the link and the deletion link read from the JSON reply,
 * its {@code description} shown on a refusal). Opening the downloaded file adds it to ShareX and selects it for
 * images, text and files. The syntax is ShareX 14's and later ({@code {json:…}}).
 */
@WebServlet(urlPatterns = "/sharex.sxcu")
public class ShareXConfig extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    UploadSettings settings;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uploadUrl = settings.serviceUrl("/upload.php");
        String host = host(uploadUrl);
        byte[] body = config(uploadUrl, host).toString().getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json; charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + host + ".sxcu\"");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-cache");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static JsonObject config(String uploadUrl, String host) {
        return Json.createObjectBuilder()
                .add("Version", "15.0.0")
                .add("Name", host)
                .add("DestinationType", "ImageUploader, TextUploader, FileUploader")
                .add("RequestMethod", "POST")
                .add("RequestURL", uploadUrl)
                .add("Body", "MultipartFormData")
                .add("FileFormName", "files[]")
                .add("URL", "{json:files[0].url}")
                .add("DeletionURL", "{json:files[0].delete_url}")
                .add("ErrorMessage", "{json:description}")
                .build();
    }

    /** The public URL's host, for the uploader's name and file name (letters, digits, dots and dashes only). */
    static String host(String url) {
        String host = URI.create(url).getHost();
        String safe = host == null ? "" : host.replaceAll("[^A-Za-z0-9.-]", "");
        return safe.isEmpty() ? "pomf" : safe;
    }
}
