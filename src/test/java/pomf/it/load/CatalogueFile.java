package pomf.it.load;

/** One uploaded file as the load expects it back: its stored name, the SHA-256 (hex) and size of its content. */
public record CatalogueFile(String name, String sha256, long size) {}
