/** The public's abuse report: the form at {@code /report} and its JSON twin, limited per address. */
package pomf.report;
