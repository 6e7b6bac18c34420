/**
 * Where threads come from: the container's (Jakarta Concurrency's {@code ManagedThreadFactory}), named for thread
 * dumps; and the one exception, the stop sequence (shutdown hooks and the SIGTERM drain), which runs while the
 * container is going away.
 */
package pomf.threads;
