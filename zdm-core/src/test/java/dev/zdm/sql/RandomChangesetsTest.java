package dev.zdm.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardListener;
import dev.zdm.guard.GuardSettings;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Composes changesets from the forms of issue 17 (random order, one SQL string or several, the table's name plain,
 * quoted, schema-qualified or Unicode-escaped) and checks the guard against what PostgreSQL did: it refuses exactly
 * the changesets that rewrite, scan under a write-blocking lock, write every row of, or fail on the table.
 * {@code -Dzdm.judge.seeds=N} runs more seeds (default 15, well under a minute).
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RandomChangesetsTest {

    private static final List<String> NAMES = List.of("item", "\"item\"", "public.item", "U&\"\\0069tem\"", "PUBLIC.ITEM");
    private static final List<String> FORMS = List.of(
            "ALTER TABLE {t} ADD COLUMN c bigint",
            "UPDATE {t} SET note = 'z'",
            "ALTER TABLE {t} ADD CONSTRAINT rc CHECK (validated > 0) NOT VALID",
            "ALTER TABLE {t} ALTER COLUMN note TYPE varchar(40)",
            "ALTER TABLE {t} ALTER COLUMN id TYPE int",
            "ALTER TABLE {t} ALTER COLUMN name SET NOT NULL",
            "ALTER TABLE {t} DROP CONSTRAINT item_name_nn",
            "ALTER TABLE {t} ALTER COLUMN created TYPE timestamp(6)",
            "ALTER TABLE {t} ADD COLUMN d int NOT NULL",
            "ALTER TABLE {t} ADD COLUMN e int DEFAULT 7");

    private final TestDatabase db;
    private TransactionRulesTest guardRunner;

    RandomChangesetsTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void schema() throws Exception {
        guardRunner = new TransactionRulesTest(db);
        guardRunner.schema();
    }

    @Test
    void theGuardRefusesExactlyWhatPostgresShowsToBlock() throws Exception {
        int seeds = Integer.getInteger("zdm.judge.seeds", 15);
        int unsafe = 0;
        for (int seed = 0; seed < seeds; seed++) {
            Random random = new Random(seed);
            List<String> forms = new ArrayList<>(FORMS);
            Collections.shuffle(forms, random);
            List<String> statements = new ArrayList<>();
            for (String form : forms.subList(0, 2 + random.nextInt(2))) {
                statements.add(form.replace("{t}", NAMES.get(random.nextInt(NAMES.size()))));
            }
            List<String> units = random.nextBoolean() ? List.of(String.join(";\n", statements)) : statements;
            PostgresVerdict postgres;
            try (Connection connection = db.connect()) {
                postgres = PostgresVerdict.of(connection, units, true);
            }
            List<Finding> findings = guardRunner.guardFindings("seed-" + seed, units, true);
            unsafe += postgres.unsafe() ? 1 : 0;
            assertThat(!findings.isEmpty()).as("seed %d: %s; PostgreSQL: %s; guard: %s", seed, units, postgres,
                    findings.stream().map(f -> f.rule().id()).toList()).isEqualTo(postgres.unsafe());
        }
        System.out.printf("zdm random changesets: %d seeds, %d unsafe per PostgreSQL, guard agreed on all%n", seeds, unsafe);
    }
}
