package pomf;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The JSON API ({@code /api/v1}); the Pomf endpoints and file serving are servlets beside it. */
@ApplicationPath("api/v1")
public class PomfApplication extends Application {}
