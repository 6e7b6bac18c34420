package pomf.witness.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class NodeTest {
    private static Node node() {
        return new Node("edge-1", "198.51.100.7", "https://198.51.100.7/health/ready", 22, "cdn.pomf.example");
    }

    @Test
    void statesAreStoredLowerCaseAndReadInAnyCase() {
        assertThat(NodeState.LIVE.column()).isEqualTo("live");
        assertThat(NodeState.DEAD.column()).isEqualTo("dead");
        assertThat(NodeState.MAINTENANCE.column()).isEqualTo("maintenance");
        for (NodeState state : NodeState.values()) {
            assertThat(NodeState.of(state.column())).isSameAs(state);
        }
        assertThat(NodeState.of("Dead")).isSameAs(NodeState.DEAD);
        assertThatThrownBy(() -> NodeState.of("gone")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNewNodeIsLiveSinceItWasAdded() {
        OffsetDateTime before = OffsetDateTime.now();
        Node node = node();

        assertThat(node.getState()).isSameAs(NodeState.LIVE);
        assertThat(node.getStateReason()).isEqualTo("added");
        assertThat(node.getCleanTicks()).isZero();
        assertThat(node.getStateSince()).isBetween(before, OffsetDateTime.now());
    }

    @Test
    void cleanTicksCountInARowAndAnyFailureStartsAgain() {
        Node node = node();
        node.countTick(true);
        node.countTick(true);
        node.countTick(true);
        assertThat(node.getCleanTicks()).isEqualTo(3);

        node.countTick(false);
        assertThat(node.getCleanTicks()).isZero();
        node.countTick(true);
        assertThat(node.getCleanTicks()).isEqualTo(1);
    }

    @Test
    void aMoveSaysWhySinceWhenAndStartsTheCountAgain() throws InterruptedException {
        Node node = node();
        node.countTick(true);
        node.countTick(true);
        OffsetDateTime added = node.getStateSince();
        Thread.sleep(2);

        node.moveTo(NodeState.DEAD, "3 of 3 probes failed");

        assertThat(node.getState()).isSameAs(NodeState.DEAD);
        assertThat(node.getStateReason()).isEqualTo("3 of 3 probes failed");
        assertThat(node.getCleanTicks()).isZero();
        assertThat(node.getStateSince()).isAfter(added);
    }

    @Test
    void anEditChangesWhereItIsCheckedNotItsState() {
        Node node = node();
        node.moveTo(NodeState.MAINTENANCE, "kernel upgrade");

        node.edit("198.51.100.8", "https://198.51.100.8/health/ready", 2222, "cdn2.pomf.example");

        assertThat(node.getName()).isEqualTo("edge-1");
        assertThat(node.getAddress()).isEqualTo("198.51.100.8");
        assertThat(node.getCheckUrl()).isEqualTo("https://198.51.100.8/health/ready");
        assertThat(node.getSshPort()).isEqualTo(2222);
        assertThat(node.getRecord()).isEqualTo("cdn2.pomf.example");
        assertThat(node.getState()).isSameAs(NodeState.MAINTENANCE);
        assertThat(node.getStateReason()).isEqualTo("kernel upgrade");
    }

    @Test
    void itsJsonHasItsStateAsStoredAndItsTimeAsAnInstant() {
        Node node = node();
        node.moveTo(NodeState.DEAD, "unreachable");
        node.countTick(true);

        JsonObject json = node.toJson();

        assertThat(json.getString("name")).isEqualTo("edge-1");
        assertThat(json.getString("address")).isEqualTo("198.51.100.7");
        assertThat(json.getString("checkUrl")).isEqualTo("https://198.51.100.7/health/ready");
        assertThat(json.getInt("sshPort")).isEqualTo(22);
        assertThat(json.getString("record")).isEqualTo("cdn.pomf.example");
        assertThat(json.getString("state")).isEqualTo("dead");
        assertThat(json.getString("stateReason")).isEqualTo("unreachable");
        assertThat(json.getInt("cleanTicks")).isEqualTo(1);
        String since = json.getString("stateSince");
        assertThat(since).endsWith("Z");
        assertThat(Instant.parse(since)).isEqualTo(node.getStateSince().toInstant());
        assertThat(OffsetDateTime.parse(since).getOffset()).isEqualTo(ZoneOffset.UTC);
    }
}
