package pomf.witness.entity;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An edge node the witness watches: where it is checked and which round-robin A record carries it. */
@Entity
@Table(name = "node")
@NamedQuery(name = Node.ALL, query = "select n from Node n order by n.name")
@NamedQuery(name = Node.BY_NAME, query = "select n from Node n where n.name = :name")
public class Node {
    public static final String ALL = "Node.all";
    public static final String BY_NAME = "Node.byName";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "name", nullable = false)
    private String name;

    @Column(name = "address", nullable = false)
    private String address;

    @Column(name = "check_url", nullable = false)
    private String checkUrl;

    @Column(name = "ssh_port", nullable = false)
    private int sshPort;

    @Column(name = "record", nullable = false)
    private String record;

    @Column(name = "state", nullable = false)
    private String state;

    @Column(name = "state_since", nullable = false)
    private OffsetDateTime stateSince;

    @Column(name = "state_reason", nullable = false)
    private String stateReason;

    @Column(name = "clean_ticks", nullable = false)
    private int cleanTicks;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    protected Node() {}

    public Node(String name, String address, String checkUrl, int sshPort, String record) {
        this.name = name;
        this.address = address;
        this.checkUrl = checkUrl;
        this.sshPort = sshPort;
        this.record = record;
        this.state = NodeState.LIVE.column();
        this.stateSince = OffsetDateTime.now();
        this.stateReason = "added";
        this.createdAt = stateSince;
    }

    public void edit(String address, String checkUrl, int sshPort, String record) {
        this.address = address;
        this.checkUrl = checkUrl;
        this.sshPort = sshPort;
        this.record = record;
    }

    public void moveTo(NodeState next, String reason) {
        this.state = next.column();
        this.stateSince = OffsetDateTime.now();
        this.stateReason = reason;
        this.cleanTicks = 0;
    }

    /** Counts a judged tick towards automatic revival: clean ticks in a row, reset by any failure. */
    public void countTick(boolean clean) {
        cleanTicks = clean ? cleanTicks + 1 : 0;
    }

    public JsonObject toJson() {
        return Json.createObjectBuilder()
                .add("name", name)
                .add("address", address)
                .add("checkUrl", checkUrl)
                .add("sshPort", sshPort)
                .add("record", record)
                .add("state", state)
                .add("stateSince", stateSince.toInstant().toString())
                .add("stateReason", stateReason)
                .add("cleanTicks", cleanTicks)
                .build();
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getAddress() {
        return address;
    }

    public String getCheckUrl() {
        return checkUrl;
    }

    public int getSshPort() {
        return sshPort;
    }

    public String getRecord() {
        return record;
    }

    public NodeState getState() {
        return NodeState.of(state);
    }

    public OffsetDateTime getStateSince() {
        return stateSince;
    }

    public String getStateReason() {
        return stateReason;
    }

    public int getCleanTicks() {
        return cleanTicks;
    }
}
