package pomf.it.load;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The files the load downloads, most popular first (Zipf rank 1 is the first), and where a local copy of each lives:
 * a Range answer is compared with the copy's bytes at the same offset, which a hash of the whole file cannot do.
 */
public record Catalogue(List<CatalogueFile> files, Function<String, Path> localCopy) {
    public Catalogue {
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("the catalogue is empty");
        }
    }

    /** The largest file: the "long video" whose Range requests come as a series of seeks. */
    public CatalogueFile largest() {
        return files.stream().max(Comparator.comparingLong(CatalogueFile::size)).orElseThrow();
    }
}
