package pomf.witness.control;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Tells a witness whose own network failed from nodes that failed. A tick is the witness's fault, and none of its
 * failures become strikes, when checks failed locally ("network is unreachable": no link, no route) for most nodes or
 * with nothing else answering, or when most
 * nodes failed together and none of the witness's reference points (the origin, the DNS server, a gateway) could be
 * reached either. Route 53 and Cloudflare answer the same question with checkers in many places; a single witness
 * has to ask it of itself.
 *
 * @param share the fraction of checked nodes whose failing together is suspicious (more than half by default)
 * @param minFailing a mass failure needs at least this many failing nodes (one of two failing is no pattern)
 */
public record Guard(double share, int minFailing) {

    public static Guard defaults() {
        return new Guard(0.5, 3);
    }

    /**
     * @param references whether a reference point answered this tick: empty when none is configured
     * @return why the tick is the witness's fault, or empty when its failures are the nodes'
     */
    public Optional<String> fault(List<CheckResult> results, Optional<Boolean> references) {
        List<CheckResult> local =
                results.stream().filter(r -> r.outcome() == Outcome.LOCAL_ERROR).toList();
        long checked = results.stream().map(CheckResult::node).distinct().count();
        long localNodes = local.stream().map(CheckResult::node).distinct().count();
        // Local errors for a few nodes while others answer: those nodes are unroutable from here (no strike for
        // them, see Decision), but the witness's network works. For most nodes, or with nothing answering: it does not.
        if (localNodes > 0 && (localNodes > share * checked || results.stream().noneMatch(CheckResult::ok))) {
            return Optional.of("the witness's own network failed (" + local.size() + " checks, e.g. "
                    + local.get(0).node() + " " + local.get(0).check() + ": "
                    + local.get(0).detail() + ")");
        }
        long failing = results.stream()
                .filter(r -> r.outcome().failed())
                .map(CheckResult::node)
                .collect(Collectors.toSet())
                .size();
        if (failing < minFailing || failing <= share * checked) {
            return Optional.empty();
        }
        String together = failing + " of " + checked + " nodes failed together";
        if (references.isEmpty()) {
            return Optional.of(
                    together + " and no reference point is configured to tell whether the witness is cut off");
        }
        return references.get() ? Optional.empty() : Optional.of(together + " and no reference point answered either");
    }
}
