package pomf.edge.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class StaleCaseTest {
    @Test
    void theSettingNamesCasesAsNginxSpellsThem() {
        assertThat(StaleCase.parse("error, timeout updating,HTTP_503"))
                .containsExactlyInAnyOrder(StaleCase.ERROR, StaleCase.TIMEOUT, StaleCase.UPDATING, StaleCase.HTTP_503);
        assertThat(StaleCase.parse("off")).isEmpty();
        assertThat(StaleCase.parse(" ")).isEmpty();
        assertThat(StaleCase.HTTP_502.label()).isEqualTo("http_502");
    }

    @Test
    void aCaseThisEdgeCannotTellIsRefusedAtStart() {
        assertThatThrownBy(() -> StaleCase.parse("error,http_404"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http_404");
    }

    @Test
    void anOriginStatusHasItsCaseOrNone() {
        assertThat(StaleCase.ofStatus(500)).isEqualTo(StaleCase.HTTP_500);
        assertThat(StaleCase.ofStatus(504)).isEqualTo(StaleCase.HTTP_504);
        assertThat(StaleCase.ofStatus(501)).as("nginx has no case for 501").isNull();
        assertThat(StaleCase.ofStatus(403)).isEqualTo(StaleCase.ERROR);
        assertThat(EnumSet.allOf(StaleCase.class)).hasSize(7);
    }
}
