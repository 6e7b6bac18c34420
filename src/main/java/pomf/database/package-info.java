/** The data source and the schema migrations (Flyway over {@code sql/schema}), run before anything uses JPA. */
package pomf.database;
