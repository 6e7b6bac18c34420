package pomf.reporting.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pomf.access.boundary.AdminOnly;
import pomf.problem.entity.ProblemException;
import pomf.reporting.control.CsvWriter;
import pomf.reporting.control.ReportJson;
import pomf.reporting.control.ReportParameterException;
import pomf.reporting.control.ReportTimeoutException;
import pomf.reporting.control.UnknownReportException;
import pomf.reporting.entity.ReportResult;

/**
 * The reports as JSON ({@code GET /api/v1/reports}, {@code GET /api/v1/reports/{name}?param=value}) and CSV
 * ({@code GET /api/v1/reports/{name}.csv?...}). A report cancelled by its timeout is 503: the request was fine, the
 * server could not answer it in time (under less load, or over a shorter period, it can), which 422 would deny.
 */
@Path("reports")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class ReportsResource {
    static final String CSV = "text/csv; charset=UTF-8; header=present";

    @Inject
    Reports reports;

    @GET
    public JsonObject list() {
        JsonArrayBuilder list = Json.createArrayBuilder();
        reports.list().forEach(r -> list.add(ReportJson.describe(r)));
        return Json.createObjectBuilder().add("reports", list).build();
    }

    @GET
    @Path("{name: [a-z0-9][a-z0-9-]*}")
    public JsonObject run(@PathParam("name") String name, @Context UriInfo uri) {
        return ReportJson.result(result(name, uri));
    }

    @GET
    @Path("{name: [a-z0-9][a-z0-9-]*}.csv")
    @Produces("text/csv")
    public Response csv(@PathParam("name") String name, @Context UriInfo uri) {
        ReportResult result = result(name, uri);
        StreamingOutput body = out -> CsvWriter.write(result, new OutputStreamWriter(out, StandardCharsets.UTF_8));
        String file = name + "-" + LocalDate.now(ZoneOffset.UTC) + ".csv";
        return Response.ok(body, CSV)
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                .build();
    }

    private ReportResult result(String name, UriInfo uri) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> p : uri.getQueryParameters().entrySet()) {
            if (p.getValue().size() > 1) {
                throw ProblemException.badRequest("parameter " + p.getKey() + " is given more than once");
            }
            params.put(p.getKey(), p.getValue().isEmpty() ? "" : p.getValue().get(0));
        }
        try {
            return reports.run(name, params);
        } catch (UnknownReportException e) {
            throw ProblemException.notFound(e.getMessage());
        } catch (ReportParameterException e) {
            throw ProblemException.badRequest(e.getMessage());
        } catch (ReportTimeoutException e) {
            throw new ProblemException(503, "Service Unavailable", e.getMessage());
        }
    }
}
