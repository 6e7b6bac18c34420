package pomf.traffic.entity;

/** Answers and body bytes for one stored file in one UTC hour (epoch seconds, a multiple of 3600). */
public record FileHourRow(String fileName, long hour, long requests, long bytesSent) {}
