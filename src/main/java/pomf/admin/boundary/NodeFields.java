package pomf.admin.boundary;

import java.io.Serializable;
import pomf.admin.entity.NodeBoardRow;

/** The add/edit node form's fields, checked by {@code NodeForm} when saved. */
public class NodeFields implements Serializable {
    private static final long serialVersionUID = 1L;

    private String name;
    private String address;
    private String checkUrl;
    private int sshPort = 22;
    private String record;

    void clear() {
        name = null;
        address = null;
        checkUrl = null;
        sshPort = 22;
        record = null;
    }

    void fill(NodeBoardRow row) {
        name = row.name();
        address = row.address();
        checkUrl = row.checkUrl();
        sshPort = row.sshPort();
        record = row.record();
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public String getCheckUrl() {
        return checkUrl;
    }

    public void setCheckUrl(String checkUrl) {
        this.checkUrl = checkUrl;
    }

    public int getSshPort() {
        return sshPort;
    }

    public void setSshPort(int sshPort) {
        this.sshPort = sshPort;
    }

    public String getRecord() {
        return record;
    }

    public void setRecord(String record) {
        this.record = record;
    }
}
