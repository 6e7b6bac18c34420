package pomf.rehearsal;

import pomf.it.load.LoadReport;

/**
 * What a finished rehearsal leaves to judge: the running stage and its database, the library, what the clients and
 * the rehearsal's own downloads saw, when the faults happened, and the table the verdicts go to.
 */
abstract class Evidence {
    /** The same evidence, gathered in one place by the rehearsal. */
    record Of(
            Stage stage,
            Library library,
            LoadReport report,
            Warmer warmer,
            Timeline timeline,
            Faults faults,
            BucketFaults bucket,
            Checks checks) {}

    protected final Stage stage;
    protected final Library library;
    protected final LoadReport report;
    protected final Warmer warmer;
    protected final Timeline timeline;
    protected final Faults faults;
    /** The bucket variant's faults and what they saw; null in the plan of one origin. */
    protected final BucketFaults bucket;

    protected final Checks checks;

    Evidence(Of of) {
        this.stage = of.stage();
        this.library = of.library();
        this.report = of.report();
        this.warmer = of.warmer();
        this.timeline = of.timeline();
        this.faults = of.faults();
        this.bucket = of.bucket();
        this.checks = of.checks();
    }
}
