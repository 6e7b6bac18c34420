package pomf.names.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** How long the random part of a new stored name is ({@code pomf.upload.name-length}), checked once at start. */
@ApplicationScoped
public class NameSettings {
    // 8 as Pomf: 46.5 bits (56 characters without look-alikes); each one more is 5.8 bits, 56 times the guesses.
    @Inject
    @ConfigProperty(name = "pomf.upload.name-length", defaultValue = "8")
    int nameLength;

    @PostConstruct
    void check() {
        if (nameLength < FileNames.MIN_RANDOM_LENGTH || nameLength > FileNames.MAX_RANDOM_LENGTH) {
            throw new IllegalArgumentException("pomf.upload.name-length must be " + FileNames.MIN_RANDOM_LENGTH + " to "
                    + FileNames.MAX_RANDOM_LENGTH + ", not " + nameLength);
        }
    }

    public int nameLength() {
        return nameLength;
    }
}
