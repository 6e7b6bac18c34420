/**
 * SQL reports: one file per report under {@code sql/reports}, whose comment header declares its title, purpose,
 * parameters and chart; the same file runs by hand with psql and, with bound parameters, behind the admin pages and
 * {@code /api/v1/reports}.
 */
package pomf.reporting;
