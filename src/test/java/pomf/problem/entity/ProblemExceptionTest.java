package pomf.problem.entity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ejb.ApplicationException;
import org.junit.jupiter.api.Test;

class ProblemExceptionTest {
    @Test
    void theShortcutsCarryTheirStatusAndItsReasonPhrase() {
        ProblemException bad = ProblemException.badRequest("cidr: expected an address");
        ProblemException missing = ProblemException.notFound("no such file");
        ProblemException conflict = ProblemException.conflict("already banned");

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.title()).isEqualTo("Bad Request");
        assertThat(bad.getMessage()).isEqualTo("cidr: expected an address");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.title()).isEqualTo("Not Found");
        assertThat(missing.getMessage()).isEqualTo("no such file");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.title()).isEqualTo("Conflict");
        assertThat(conflict.getMessage()).isEqualTo("already banned");
    }

    @Test
    void anyStatusMayBeGiven() {
        ProblemException tooMany = new ProblemException(429, "Too Many Requests", "wait 30 s");

        assertThat(tooMany.status()).isEqualTo(429);
        assertThat(tooMany.title()).isEqualTo("Too Many Requests");
        assertThat(tooMany.getMessage()).isEqualTo("wait 30 s");
    }

    @Test
    void itLeavesAnEjbAsItIsAndRollsItsTransactionBack() {
        ApplicationException marker = ProblemException.class.getAnnotation(ApplicationException.class);
        assertThat(marker).isNotNull();
        assertThat(marker.rollback()).isTrue();
    }
}
