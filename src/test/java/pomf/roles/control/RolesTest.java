package pomf.roles.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pomf.it.deployments.ConfigInjection;

class RolesTest {
    private static Roles roles(Map<String, String> settings) {
        return ConfigInjection.inject(new Roles(), settings);
    }

    @Test
    void rolesAreSeparatedByCommasOrSpacesInAnyCase() {
        assertThat(Roles.parse("origin,edge")).containsExactlyInAnyOrder("origin", "edge");
        assertThat(Roles.parse(" Origin , ADMIN ")).containsExactlyInAnyOrder("origin", "admin");
        assertThat(Roles.parse("edge witness\tadmin")).containsExactlyInAnyOrder("edge", "witness", "admin");
        assertThat(Roles.parse("edge,,edge")).containsExactly("edge");
    }

    @Test
    void unknownRolesAndNoRolesAreRefused() {
        assertThatThrownBy(() -> Roles.parse("origin,cdn"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not origin,cdn");
        assertThatThrownBy(() -> Roles.parse("")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Roles.parse(" , ")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theDefaultIsOriginAndAdmin() {
        Roles roles = roles(Map.of());

        assertThat(Roles.parse(Roles.DEFAULT)).isEqualTo(Set.of("origin", "admin"));
        assertThat(roles.origin()).isTrue();
        assertThat(roles.admin()).isTrue();
        assertThat(roles.edge()).isFalse();
        assertThat(roles.witness()).isFalse();
        assertThat(roles.usesDatabase()).isTrue();
    }

    @Test
    void onlyAnEdgeAloneNeedsNoDatabase() {
        Roles edge = roles(Map.of("pomf.roles", "edge"));
        assertThat(edge.edge()).isTrue();
        assertThat(edge.origin()).isFalse();
        assertThat(edge.usesDatabase()).isFalse();

        assertThat(roles(Map.of("pomf.roles", "edge,witness")).usesDatabase()).isTrue();
        assertThat(roles(Map.of("pomf.roles", "witness")).usesDatabase()).isTrue();
        assertThat(roles(Map.of("pomf.roles", "EDGE origin")).usesDatabase()).isTrue();
    }

    @Test
    void aBadSettingStopsTheBeanFromStarting() {
        assertThatThrownBy(() -> roles(Map.of("pomf.roles", "orgin")))
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .rootCause()
                .hasMessageContaining("orgin");
    }
}
