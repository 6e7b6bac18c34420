/** Application metrics for {@code /metrics}: uploads, refusals, dedup savings and file traffic. */
package pomf.metrics;
