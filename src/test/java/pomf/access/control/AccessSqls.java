package pomf.access.control;

import jakarta.persistence.EntityManager;
import javax.sql.DataSource;

/** {@link AccessSql} over stand-ins for the container's resources, for tests of the boundary (a package away). */
public final class AccessSqls {
    private AccessSqls() {}

    /** An {@link AccessSql} whose native queries go to {@code em} and whose JDBC goes to {@code dataSource}. */
    public static AccessSql over(EntityManager em, DataSource dataSource) {
        AccessSql sql = new AccessSql();
        sql.em = em;
        sql.dataSource = dataSource;
        return sql;
    }
}
