package pomf.witness.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import pomf.witness.control.Judge.Ruling;
import pomf.witness.control.Judge.Rulings;
import pomf.witness.entity.NodeState;

class JudgeTest {
    static final Instant NOW = Instant.parse("2026-08-03T12:00:00Z");
    final Judge original = new Judge(Rules.original());

    static NodeView node(String name, NodeState state, int strikes) {
        return new NodeView(name.hashCode(), name, "cdn.example.com", state, NOW.minusSeconds(3600), strikes, 0);
    }

    static List<String> names(List<Ruling> decisions) {
        return decisions.stream().map(d -> d.node().name()).toList();
    }

    @Test
    void fourStrikesKillALiveNode() {
        Rulings finding = original.judge(
                List.of(node("a", NodeState.LIVE, 4), node("b", NodeState.LIVE, 3), node("c", NodeState.LIVE, 0)), NOW);
        assertThat(names(finding.kills())).containsExactly("a");
        assertThat(finding.kills().get(0).reason()).isEqualTo("4 strikes in the last 60 min");
        assertThat(finding.refused()).isEmpty();
    }

    @Test
    void deadAndMaintenanceNodesAreNotKilledAgain() {
        Rulings finding = original.judge(
                List.of(
                        node("a", NodeState.DEAD, 9),
                        node("b", NodeState.MAINTENANCE, 9),
                        node("c", NodeState.LIVE, 0),
                        node("d", NodeState.LIVE, 0)),
                NOW);
        assertThat(finding.kills()).isEmpty();
        assertThat(finding.refused()).isEmpty();
    }

    @Test
    void theLastLiveNodeOfARecordStays() {
        Rulings finding = original.judge(
                List.of(node("a", NodeState.DEAD, 8), node("b", NodeState.LIVE, 5), node("c", NodeState.LIVE, 4)), NOW);
        assertThat(names(finding.kills())).containsExactly("b");
        assertThat(names(finding.refused())).containsExactly("c");
        assertThat(finding.refused().get(0).reason()).contains("last live node of cdn.example.com");
    }

    @Test
    void recordsAreCountedSeparately() {
        NodeView other = new NodeView(9, "x", "img.example.com", NodeState.LIVE, NOW, 6, 0);
        Rulings finding =
                original.judge(List.of(node("a", NodeState.LIVE, 6), node("b", NodeState.LIVE, 0), other), NOW);
        assertThat(names(finding.kills())).containsExactly("a");
        assertThat(names(finding.refused())).containsExactly("x");
    }

    @Test
    void theCapStopsKillsAndTheSickestGoFirst() {
        List<NodeView> nodes = List.of(
                node("a", NodeState.DEAD, 0),
                node("b", NodeState.LIVE, 4),
                node("c", NodeState.LIVE, 7),
                node("d", NodeState.LIVE, 5),
                node("e", NodeState.LIVE, 0),
                node("f", NodeState.LIVE, 0));
        Rulings finding = original.judge(nodes, NOW);
        assertThat(names(finding.kills())).containsExactly("c", "d");
        assertThat(names(finding.refused())).containsExactly("b");
        assertThat(finding.refused().get(0).reason()).contains("3 nodes are dead already (cap 3)");
    }

    @Test
    void revivalIsManualByDefault() {
        NodeView healed = new NodeView(1, "a", "r", NodeState.DEAD, NOW.minus(Duration.ofDays(1)), 0, 1000);
        assertThat(original.judge(List.of(healed), NOW).revivals()).isEmpty();
    }

    @Test
    void automaticRevivalWaitsForCleanTicksAndTimeDead() {
        Judge judge = new Judge(new Rules(4, Duration.ofHours(1), 3, 5, Duration.ofMinutes(10)));
        NodeView ready = new NodeView(1, "a", "r", NodeState.DEAD, NOW.minus(Duration.ofMinutes(10)), 0, 5);
        NodeView tooFewTicks = new NodeView(2, "b", "r", NodeState.DEAD, NOW.minus(Duration.ofHours(1)), 0, 4);
        NodeView tooRecent = new NodeView(3, "c", "r", NodeState.DEAD, NOW.minus(Duration.ofMinutes(9)), 0, 50);
        assertThat(names(
                        judge.judge(List.of(ready, tooFewTicks, tooRecent), NOW).revivals()))
                .containsExactly("a");
    }
}
