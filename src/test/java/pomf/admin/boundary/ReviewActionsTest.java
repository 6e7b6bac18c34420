package pomf.admin.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReviewActionsTest {
    @Test
    void anUploadersRangeIsItsSlash24OrSlash48() {
        assertThat(ReviewActions.range("203.0.113.77")).isEqualTo("203.0.113.0/24");
        assertThat(ReviewActions.range("2001:db8:77:1:2:3:4:5")).isEqualTo("2001:db8:77:0:0:0:0:0/48");
    }
}
