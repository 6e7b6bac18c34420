/** The file registry in PostgreSQL: one stored file per distinct content, one row per upload claiming it. */
package pomf.registry;
