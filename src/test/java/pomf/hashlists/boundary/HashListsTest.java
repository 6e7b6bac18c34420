package pomf.hashlists.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pomf.hashlists.control.HashListSql;
import pomf.hashlists.control.HashListSql.Imported;
import pomf.hashlists.control.HashListSql.ListView;
import pomf.hashlists.control.HashListSql.Removed;
import pomf.hashlists.control.HashListSql.Unhashed;

/**
 * What the boundary hands {@link HashListSql} (a subclass noting each call) and the time it stamps: UTC now, checked
 * with the default zone 14 hours away so that a local time would show.
 */
class HashListsTest {
    private static final String SHA256 = "5d".repeat(32);
    private static final String MD5 = "0cc175b9c0f1b6a831c399e269772661";

    private final HashLists lists = new HashLists();
    private final List<List<Object>> calls = new ArrayList<>();
    private final Imported imported =
            new Imported("csam", 3, 4, 1, List.of(4L), 3, 0, List.of("a.png"), List.of(), 1, 0);
    private TimeZone zone;

    @BeforeEach
    void sql() {
        zone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
        lists.sql = new HashListSql() {
            @Override
            public Imported replace(String name, String reason, String actor, InputStream body, LocalDateTime now) {
                calls.add(List.of("replace", name, reason, actor, body, now));
                return imported;
            }

            @Override
            public Optional<Removed> remove(String name, LocalDateTime now) {
                calls.add(List.of("remove", name, now));
                return name.equals("csam") ? Optional.of(new Removed(name, 3, List.of("b.jpg"))) : Optional.empty();
            }

            @Override
            public List<String> hashedMd5(String sha256, String md5, LocalDateTime now) {
                calls.add(List.of("hashedMd5", sha256, md5, now));
                return List.of("c.gif");
            }

            @Override
            public List<Unhashed> withoutMd5(long after, int limit) {
                calls.add(List.of("withoutMd5", after, limit));
                return List.of(new Unhashed(after + 1, SHA256, null));
            }

            @Override
            public List<ListView> all() {
                calls.add(List.of("all"));
                return List.of(new ListView("csam", "ncmec", 3, "alice", LocalDateTime.MIN, LocalDateTime.MAX));
            }
        };
    }

    @AfterEach
    void restoreZone() {
        TimeZone.setDefault(zone);
    }

    private static void isUtcNow(Object at, LocalDateTime before) {
        LocalDateTime after = LocalDateTime.now(ZoneOffset.UTC);
        assertThat(LocalDateTime.now()).as("the default zone is far from UTC").isAfter(after.plusHours(13));
        assertThat(at).isInstanceOf(LocalDateTime.class);
        assertThat((LocalDateTime) at).isBetween(before, after);
    }

    @Test
    void anImportPassesItsBodyOnAndIsStampedUtcNow() {
        LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC);
        InputStream body = new ByteArrayInputStream((SHA256 + "\n").getBytes(StandardCharsets.US_ASCII));

        assertThat(lists.replace("csam", "ncmec", "alice", body)).isSameAs(imported);

        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).subList(0, 5)).containsExactly("replace", "csam", "ncmec", "alice", body);
        isUtcNow(calls.get(0).get(5), before);
    }

    @Test
    void aRemovalIsStampedUtcNowAndEmptyWhenThereIsNoSuchList() {
        LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC);

        assertThat(lists.remove("csam")).contains(new Removed("csam", 3, List.of("b.jpg")));
        assertThat(lists.remove("none")).isEmpty();

        assertThat(calls.get(0).subList(0, 2)).containsExactly("remove", "csam");
        assertThat(calls.get(1).subList(0, 2)).containsExactly("remove", "none");
        isUtcNow(calls.get(0).get(2), before);
    }

    @Test
    void anMd5IsNotedStampedUtcNowAndItsQuarantinesReturned() {
        LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC);

        assertThat(lists.hashedMd5(SHA256, MD5)).containsExactly("c.gif");

        assertThat(calls.get(0).subList(0, 3)).containsExactly("hashedMd5", SHA256, MD5);
        isUtcNow(calls.get(0).get(3), before);
    }

    @Test
    void readsArePassedOnAsTheyAre() {
        assertThat(lists.withoutMd5(41L, 200)).containsExactly(new Unhashed(42L, SHA256, null));
        assertThat(lists.all()).extracting(ListView::name).containsExactly("csam");
        assertThat(calls).containsExactly(List.of("withoutMd5", 41L, 200), List.of("all"));
    }
}
