package pomf.blocks.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import pomf.blocks.entity.AddressBlock;
import pomf.http.control.ClientAddress.Cidr;
import pomf.problem.entity.ProblemException;
import pomf.refusals.control.Refusals;

/**
 * The address blocks: uploads from a blocked address or range are refused before any byte is stored. The active
 * blocks are held in memory and read again at most every {@link #RELOAD} (at once after a change here), so a check
 * costs a scan of a few ranges and no query, and several origins agree within seconds. A block's expiry is checked
 * at each upload, not at the reload.
 */
@ApplicationScoped
@Transactional
public class BlockList {
    private static final Logger LOG = Logger.getLogger(BlockList.class.getName());
    static final Duration RELOAD = Duration.ofSeconds(5);
    /** Ranges wider than these block a large part of the Internet: refused as a likely mistake. */
    static final int MIN_IPV4_BITS = 8;

    static final int MIN_IPV6_BITS = 16;

    @Inject
    Refusals refusals;

    @PersistenceContext
    EntityManager em;

    /** One active block, as the upload path checks it. */
    public record Active(long id, Cidr range, String cidr, long expiresAtMillis) {}

    private record Snapshot(List<Active> blocks, long loadedAtNanos) {}

    private volatile Snapshot snapshot = new Snapshot(List.of(), System.nanoTime() - 2 * RELOAD.toNanos());
    private final AtomicBoolean loading = new AtomicBoolean();

    /** The block that covers {@code address} (a literal) now, if any. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Active> covering(String address) {
        List<Active> blocks = current().blocks();
        if (blocks.isEmpty() || address == null) {
            return Optional.empty();
        }
        byte[] bytes = Cidr.bytes(address);
        if (bytes == null) {
            return Optional.empty();
        }
        long now = System.currentTimeMillis();
        for (Active block : blocks) {
            if (block.expiresAtMillis() > now && block.range().contains(bytes)) {
                return Optional.of(block);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether uploads from {@code address} are refused now; a refusal is counted for the report of refused uploads.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean refuses(String address) {
        Optional<Active> block = covering(address);
        block.ifPresent(b -> refusals.refused("block", b.cidr()));
        return block.isPresent();
    }

    /** The blocks in force, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AddressBlock> active() {
        return em.createNamedQuery(AddressBlock.ACTIVE, AddressBlock.class)
                .setParameter("now", now())
                .getResultList();
    }

    /**
     * Blocks {@code range} (an address, or a CIDR range of IPv4 or IPv6) for {@code lasting} (null: until removed).
     *
     * @throws ProblemException 400 for text that is no address or range, or a range that would block a large part
     *     of the Internet
     */
    public AddressBlock add(String range, String reason, Duration lasting, String actor) {
        Cidr cidr;
        try {
            cidr = Cidr.parse(range == null ? "" : range.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(
                    "cidr: expected an IPv4 or IPv6 address or range such as 203.0.113.0/24" + " or 2001:db8::/48");
        }
        int minimum = cidr.network().length == 4 ? MIN_IPV4_BITS : MIN_IPV6_BITS;
        if (cidr.bits() < minimum) {
            throw ProblemException.badRequest("cidr: a range wider than /" + minimum + " blocks too much at once");
        }
        LocalDateTime now = now();
        AddressBlock block =
                new AddressBlock(cidr.canonical(), reason, actor, now, lasting == null ? null : now.plus(lasting));
        em.persist(block);
        em.flush();
        snapshot = load();
        return block;
    }

    /** @return false when there was no such block */
    public boolean remove(long id) {
        AddressBlock block = em.find(AddressBlock.class, id);
        if (block == null) {
            return false;
        }
        em.remove(block);
        em.flush();
        snapshot = load();
        return true;
    }

    private Snapshot current() {
        Snapshot current = snapshot;
        if (System.nanoTime() - current.loadedAtNanos() > RELOAD.toNanos() && loading.compareAndSet(false, true)) {
            try {
                current = load();
                snapshot = current;
            } catch (RuntimeException e) {
                // The blocks read last stay in force; the next upload after RELOAD tries again.
                snapshot = new Snapshot(current.blocks(), System.nanoTime());
                LOG.log(Level.WARNING, "the address blocks could not be read again; the last ones read stay", e);
            } finally {
                loading.set(false);
            }
        }
        return current;
    }

    private Snapshot load() {
        List<Active> blocks = new ArrayList<>();
        for (AddressBlock block : active()) {
            long expires = block.getExpiresAt() == null
                    ? Long.MAX_VALUE
                    : block.getExpiresAt().toInstant(ZoneOffset.UTC).toEpochMilli();
            blocks.add(new Active(block.getId(), Cidr.parse(block.getCidr()), block.getCidr(), expires));
        }
        return new Snapshot(List.copyOf(blocks), System.nanoTime());
    }

    /** To the microsecond, as PostgreSQL keeps it: an answer's times are the ones read back later. */
    private static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
