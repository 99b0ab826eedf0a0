package dev.zdm.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** What release 1 of the sample must leave in the database. */
final class SampleSchema {

    private SampleSchema() {
    }

    static void assertReleaseOneSchema(JdbcTemplate jdbc) {
        List<Map<String, Object>> columns = jdbc.queryForList("""
                SELECT column_name, data_type, is_nullable, column_default, character_maximum_length
                FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'file'
                ORDER BY ordinal_position""");
        assertThat(columns).extracting(c -> c.get("column_name") + " " + c.get("data_type") + " "
                + c.get("is_nullable") + " " + c.get("character_maximum_length"))
                .containsExactly("id bigint NO null", "checksum character varying NO 32",
                        "file_size integer NO null", "created timestamp with time zone NO null");
        assertThat(columns.get(0).get("column_default")).asString().startsWith("nextval('file_id_seq'");
        assertThat(columns.get(2).get("column_default")).isEqualTo("0");
        assertThat(columns.get(3).get("column_default")).isEqualTo("now()");
        assertThat(jdbc.queryForObject("SELECT indexdef FROM pg_indexes WHERE indexname = 'file_checksum_file_size_idx'",
                String.class)).endsWith("ON public.file USING btree (checksum, file_size)");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_constraint WHERE conrelid = 'file'::regclass"
                + " AND contype = 'p'", Integer.class)).isEqualTo(1);
    }
}
