package pomf.upload.control;

import pomf.upload.entity.UploadRejectedException;

/** The {@code max_downloads} field (form or tus metadata): how many times the new link may be downloaded. */
public final class DownloadLimit {
    /** Beyond this a limit means nothing a file host should promise to count. */
    public static final int MAX = 1_000_000;

    private DownloadLimit() {}

    /** @return the limit, null when the field is absent or empty (no limit) */
    public static Integer parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.length() > 7 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid();
        }
        int limit = Integer.parseInt(v);
        if (limit < 1 || limit > MAX) {
            throw invalid();
        }
        return limit;
    }

    private static UploadRejectedException invalid() {
        return new UploadRejectedException(400, "Invalid max_downloads. Use a whole number from 1 to " + MAX + ".");
    }
}
