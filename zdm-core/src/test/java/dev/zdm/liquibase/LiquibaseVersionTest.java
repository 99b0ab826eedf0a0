package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LiquibaseVersionTest {

    @Test
    void theLiquibaseOnTheBuildClasspathIsThePinnedOne() {
        assertThat(LiquibaseVersion.installed()).isEqualTo(LiquibaseVersion.SUPPORTED);
        assertThatCode(() -> LiquibaseVersion.check(LiquibaseVersion.installed())).doesNotThrowAnyException();
    }

    @Test
    void refusesLiquibaseFiveAndSaysHowToPinFour() {
        assertThatThrownBy(() -> LiquibaseVersion.check("5.0.3"))
                .isInstanceOf(UnsupportedLiquibaseVersionException.class)
                .hasMessageContaining("found Liquibase 5.0.3")
                .hasMessageContaining("not open source")
                .hasMessageContaining("<liquibase.version>4.33.0</liquibase.version>")
                .hasMessageContaining("gradle.properties")
                .satisfies(e -> assertThat(((UnsupportedLiquibaseVersionException) e).foundVersion()).isEqualTo("5.0.3"));
    }

    @Test
    void refusesLiquibaseThree() {
        assertThatThrownBy(() -> LiquibaseVersion.check("3.10.3"))
                .isInstanceOf(UnsupportedLiquibaseVersionException.class)
                .hasMessageContaining("needs Liquibase 4.x and found Liquibase 3.10.3")
                .hasMessageNotContaining("not open source");
    }

    @Test
    void acceptsOtherFourReleasesAndUnreadableVersions() {
        assertThatCode(() -> LiquibaseVersion.check("4.29.2")).doesNotThrowAnyException();
        assertThatCode(() -> LiquibaseVersion.check("DEV")).doesNotThrowAnyException();
        assertThatCode(() -> LiquibaseVersion.check(null)).doesNotThrowAnyException();
    }

    @Test
    void readsTheMajorVersion() {
        assertThat(LiquibaseVersion.majorOf("4.33.0")).isEqualTo(4);
        assertThat(LiquibaseVersion.majorOf("10.1")).isEqualTo(10);
        assertThat(LiquibaseVersion.majorOf("x4")).isEqualTo(-1);
    }
}
