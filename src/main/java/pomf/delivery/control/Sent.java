package pomf.delivery.control;

/**
 * What an answer was, for the traffic records: its status and the body bytes it promised. Taken before the body is
 * handed to {@code AsyncBody}: from then on the response belongs to the body's pump and may be finished and recycled
 * by the container at any moment, so nobody else may read it.
 */
public record Sent(int status, long bytes) {}
