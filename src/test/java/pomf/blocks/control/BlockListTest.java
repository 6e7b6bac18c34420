package pomf.blocks.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.TypedQuery;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pomf.blocks.entity.AddressBlock;
import pomf.it.deployments.StandIn;
import pomf.problem.entity.ProblemException;
import pomf.refusals.control.Refusals;

/**
 * The address blocks as the upload path checks them. No database: a stand-in entity manager keeps the table in a
 * list, gives ids as the database would and answers the active-blocks query as its SQL says.
 */
class BlockListTest {
    private final List<AddressBlock> table = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private final BlockList blocks = new BlockList();
    private long nextId = 1;
    private int reads;
    private boolean down;

    @BeforeEach
    void wire() {
        blocks.refusals = new Refusals() {
            @Override
            public void refused(String kind, String name) {
                refused.add(kind + " " + name);
            }
        };
        blocks.em = StandIn.of(EntityManager.class, (method, args) -> switch (method) {
            case "createNamedQuery" -> {
                assertThat(args[0]).isEqualTo(AddressBlock.ACTIVE);
                yield activeQuery();
            }
            case "persist" -> {
                AddressBlock block = (AddressBlock) args[0];
                setId(block, nextId++);
                table.add(block);
                yield null;
            }
            case "find" ->
                table.stream()
                        .filter(b -> b.getId().equals(args[1]))
                        .findFirst()
                        .orElse(null);
            case "remove" -> {
                table.remove(args[0]);
                yield null;
            }
            case "flush" -> null;
            default -> throw new AssertionError("unexpected call " + method);
        });
    }

    @SuppressWarnings("unchecked")
    private TypedQuery<AddressBlock> activeQuery() {
        LocalDateTime[] now = new LocalDateTime[1];
        TypedQuery<AddressBlock>[] query = new TypedQuery[1];
        query[0] = StandIn.of(TypedQuery.class, (method, args) -> switch (method) {
            case "setParameter" -> {
                assertThat(args[0]).isEqualTo("now");
                now[0] = (LocalDateTime) args[1];
                yield query[0];
            }
            case "getResultList" -> {
                reads++;
                if (down) {
                    throw new PersistenceException("connection refused");
                }
                // where b.expiresAt is null or b.expiresAt > :now order by b.id desc
                yield table.stream()
                        .filter(b ->
                                b.getExpiresAt() == null || b.getExpiresAt().isAfter(now[0]))
                        .sorted(Comparator.comparing(AddressBlock::getId).reversed())
                        .toList();
            }
            default -> throw new AssertionError("unexpected call " + method);
        });
        return query[0];
    }

    /** The id the database would give. */
    static void setId(AddressBlock block, long id) {
        try {
            Field field = AddressBlock.class.getDeclaredField("id");
            field.setAccessible(true);
            field.set(block, id);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBlockIsStoredAsItsCanonicalRangeAndCoversItAtOnce() {
        AddressBlock block = blocks.add(" 203.0.113.77/24 ", "spam", null, "alice");

        assertThat(block.getCidr()).isEqualTo("203.0.113.0/24");
        assertThat(block.getReason()).isEqualTo("spam");
        assertThat(block.getCreatedBy()).isEqualTo("alice");
        assertThat(block.getExpiresAt()).isNull();
        assertThat(blocks.covering("203.0.113.1"))
                .get()
                .extracting(BlockList.Active::cidr)
                .isEqualTo("203.0.113.0/24");
        assertThat(blocks.covering("203.0.113.255")).isPresent();
        assertThat(blocks.covering("203.0.114.0")).isEmpty();
        assertThat(blocks.covering("203.0.112.255")).isEmpty();
    }

    @Test
    void aSingleAddressBlocksOnlyItself() {
        blocks.add("198.51.100.7", "abuse", null, "alice");
        blocks.add("2001:DB8::1", "abuse", null, "alice");

        assertThat(table).extracting(AddressBlock::getCidr).containsExactly("198.51.100.7/32", "2001:db8::1/128");
        assertThat(blocks.covering("198.51.100.7")).isPresent();
        assertThat(blocks.covering("198.51.100.8")).isEmpty();
        assertThat(blocks.covering("2001:db8::1")).isPresent();
        assertThat(blocks.covering("2001:db8::2")).isEmpty();
    }

    @Test
    void anIpv6RangeCoversItsAddressesAndAMappedIpv4AddressIsTheIpv4Client() {
        blocks.add("2001:db8:1::/48", "abuse", null, "alice");
        blocks.add("192.0.2.0/24", "abuse", null, "alice");

        assertThat(blocks.covering("2001:db8:1:ffff::9")).isPresent();
        assertThat(blocks.covering("[2001:db8:1::9]")).isPresent();
        assertThat(blocks.covering("2001:db8:2::9")).isEmpty();
        assertThat(blocks.covering("::ffff:192.0.2.10")).isPresent();
    }

    @Test
    void namesAndMissingAddressesAreCoveredByNothingAndNeverLookedUp() {
        blocks.add("127.0.0.0/8", "test", null, "alice");

        assertThat(blocks.covering(null)).isEmpty();
        assertThat(blocks.covering("localhost")).isEmpty();
        assertThat(blocks.covering("127.0.0.1.example")).isEmpty();
        assertThat(blocks.covering("")).isEmpty();
    }

    @Test
    void rangesTooWideOrNotRangesAreRefusedAsBadRequests() {
        assertBadRequest("not an address", "cidr: expected an IPv4 or IPv6 address or range");
        assertBadRequest(null, "cidr: expected an IPv4 or IPv6 address or range");
        assertBadRequest("203.0.113.0/33", "cidr: expected");
        assertBadRequest("203.0.113.0/x", "cidr: expected");
        assertBadRequest("10.0.0.0/7", "cidr: a range wider than /8 blocks too much at once");
        assertBadRequest("0.0.0.0/0", "cidr: a range wider than /8");
        assertBadRequest("2001::/15", "cidr: a range wider than /16 blocks too much at once");
        assertThat(table).isEmpty();

        assertThat(blocks.add("10.0.0.0/8", "the widest allowed", null, "alice").getCidr())
                .isEqualTo("10.0.0.0/8");
        assertThat(blocks.add("2001::/16", "the widest allowed", null, "alice").getCidr())
                .isEqualTo("2001::/16");
    }

    private void assertBadRequest(String range, String message) {
        assertThatThrownBy(() -> blocks.add(range, "r", null, "alice"))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith(message);
    }

    @Test
    void aBlockLastsAsLongAsAskedCheckedAtEachUpload() throws InterruptedException {
        LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        AddressBlock week = blocks.add("198.51.100.0/24", "flood", Duration.ofDays(7), "alice");
        AddressBlock brief = blocks.add("192.0.2.0/24", "flood", Duration.ofMillis(50), "alice");

        assertThat(week.getCreatedAt()).isBetween(before, LocalDateTime.now(ZoneOffset.UTC));
        assertThat(week.getCreatedAt().getNano() % 1_000)
                .as("microseconds, as PostgreSQL keeps them")
                .isZero();
        assertThat(week.getExpiresAt()).isEqualTo(week.getCreatedAt().plusDays(7));
        assertThat(blocks.covering("192.0.2.1")).isPresent();
        int readsBefore = reads;

        Thread.sleep(brief.getExpiresAt().toInstant(ZoneOffset.UTC).toEpochMilli() - System.currentTimeMillis() + 20);

        assertThat(blocks.covering("192.0.2.1"))
                .as("expired, without reading the blocks again")
                .isEmpty();
        assertThat(reads).isEqualTo(readsBefore);
        assertThat(blocks.covering("198.51.100.1")).isPresent();
    }

    @Test
    void aRemovedBlockCoversNothingAtOnce() {
        AddressBlock block = blocks.add("198.51.100.0/24", "mistake", null, "alice");
        assertThat(blocks.covering("198.51.100.1")).isPresent();

        assertThat(blocks.remove(block.getId())).isTrue();

        assertThat(blocks.covering("198.51.100.1")).isEmpty();
        assertThat(blocks.remove(block.getId())).isFalse();
        assertThat(blocks.remove(999)).isFalse();
    }

    @Test
    void aRefusalIsCountedUnderItsRangeAndAnAllowedUploadIsNot() {
        blocks.add("198.51.100.0/24", "flood", null, "alice");

        assertThat(blocks.refuses("198.51.100.20")).isTrue();
        assertThat(blocks.refuses("198.51.100.21")).isTrue();
        assertThat(blocks.refuses("203.0.113.1")).isFalse();

        assertThat(refused).containsExactly("block 198.51.100.0/24", "block 198.51.100.0/24");
    }

    @Test
    void blocksAddedElsewhereAreReadAtTheFirstCheck() {
        AddressBlock other = new AddressBlock("203.0.113.0/24", "by another origin", "bob", LocalDateTime.now(), null);
        setId(other, 42);
        table.add(other);

        assertThat(blocks.covering("203.0.113.5"))
                .get()
                .extracting(BlockList.Active::id)
                .isEqualTo(42L);
        assertThat(blocks.covering("203.0.113.6")).isPresent();
        assertThat(reads).as("one read, then the blocks held in memory").isEqualTo(1);
    }

    @Test
    void aDatabaseThatCannotBeReadFailsNoUploadAndKeepsTheBlocksReadLast() throws InterruptedException {
        blocks.add("198.51.100.0/24", "flood", null, "alice");
        down = true;
        int readsBefore = reads;

        Thread.sleep(BlockList.RELOAD.toMillis() + 100);

        assertThat(blocks.covering("198.51.100.1"))
                .as("the last blocks read stay in force")
                .isPresent();
        int readsAfterFailure = reads;
        assertThat(readsAfterFailure).as("a read was tried, and failed").isEqualTo(readsBefore + 1);
        assertThat(blocks.refuses("198.51.100.2")).isTrue();
        assertThat(reads).as("not tried again before RELOAD has passed").isEqualTo(readsAfterFailure);
    }
}
