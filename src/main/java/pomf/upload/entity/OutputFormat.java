package pomf.upload.entity;

import java.util.Locale;
import java.util.Optional;

/** Pomf's {@code ?output=} choices; json when absent. */
public enum OutputFormat {
    JSON("application/json; charset=UTF-8"),
    TEXT("text/plain; charset=UTF-8"),
    GYAZO("text/plain; charset=UTF-8"),
    CSV("text/csv; charset=UTF-8"),
    HTML("text/html; charset=UTF-8");

    public static final String VALID = "csv, gyazo, html, json, text";
    private final String contentType;

    OutputFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** Empty for an unknown value; json for none. */
    public static Optional<OutputFormat> parse(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of(JSON);
        }
        try {
            return Optional.of(valueOf(value.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
