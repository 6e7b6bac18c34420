package pomf.admin.boundary;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import pomf.admin.entity.DashboardTotals;
import pomf.admin.entity.NodeStateRow;

/** The dashboard: bandwidth per node over time (the chart to watch on a busy day), requests, hit ratio, storage. */
@Named
@ViewScoped
public class DashboardPage implements Serializable {
    private static final long serialVersionUID = 1L;

    @Inject
    transient Overview overview;

    private int hours = 24;
    private DashboardTotals totals;
    private List<NodeStateRow> nodes;
    private String bandwidthChart;
    private String requestsChart;

    public void load() {
        hours = Math.max(1, Math.min(hours, 24 * 31));
        int bucket = hours <= 6 ? 1 : hours <= 48 ? 5 : 60;
        totals = overview.totals();
        nodes = overview.nodes();
        bandwidthChart = overview.bandwidth(hours, bucket).chartJs("Mbit/s");
        requestsChart = overview.requests(hours, bucket).chartJs("requests/s");
    }

    public int getHours() {
        return hours;
    }

    public void setHours(int hours) {
        this.hours = hours;
    }

    public DashboardTotals getTotals() {
        return totals;
    }

    public List<NodeStateRow> getNodes() {
        return nodes;
    }

    public String getBandwidthChart() {
        return bandwidthChart;
    }

    public String getRequestsChart() {
        return requestsChart;
    }
}
