/** Durations as operators and users write them ({@code 30s}, {@code 10m}, {@code 1h}, {@code 7d}, {@code 2w}). */
package pomf.time;
