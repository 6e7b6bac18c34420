package pomf.reporting.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import pomf.reporting.entity.Report;

/**
 * The reports, parsed once: from a folder ({@code sql/reports} in tests and by hand) or from the classpath folder
 * {@code reports/} that the build copies them to. A file that does not parse fails the whole load, so a broken
 * report is found by the first test or start, not by the operator who opens it.
 */
public final class ReportCatalog {
    public static final String CLASSPATH_FOLDER = "reports";
    private final SortedMap<String, Report> reports;

    private ReportCatalog(SortedMap<String, Report> reports) {
        this.reports = Collections.unmodifiableSortedMap(reports);
    }

    public static ReportCatalog fromFolder(Path folder) {
        SortedMap<String, Report> reports = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".sql"))
                    .toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.sql$", "");
                reports.put(name, ReportHeader.parse(name, Files.readString(file, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the reports in " + folder, e);
        }
        return new ReportCatalog(reports);
    }

    /** The reports under {@code reports/} of the class loader: an exploded folder, or inside a jar or war. */
    public static ReportCatalog fromClasspath(ClassLoader loader) {
        URL url = loader.getResource(CLASSPATH_FOLDER);
        if (url == null) {
            throw new IllegalStateException("no " + CLASSPATH_FOLDER + "/ folder on the classpath");
        }
        try {
            URI uri = url.toURI();
            if ("file".equals(uri.getScheme())) {
                return fromFolder(Path.of(uri));
            }
            try (FileSystem archive = FileSystems.newFileSystem(uri, Map.of())) {
                return fromFolder(archive.provider().getPath(uri));
            }
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot list the reports at " + url, e);
        }
    }

    public SortedMap<String, Report> all() {
        return reports;
    }

    public Optional<Report> find(String name) {
        return Optional.ofNullable(reports.get(name));
    }
}
