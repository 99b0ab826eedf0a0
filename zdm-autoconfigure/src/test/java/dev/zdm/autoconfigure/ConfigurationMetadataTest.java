package dev.zdm.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The configuration metadata an IDE completes from (the processor's output merged with
 * additional-spring-configuration-metadata.json) describes every {@code zdm.*} property and gives the default the
 * code really binds, so the two cannot drift apart.
 */
class ConfigurationMetadataTest {

    @Test
    void everyZdmPropertyHasADescriptionAndTheDefaultTheCodeBinds() throws Exception {
        List<Map<String, Object>> properties = zdmProperties();
        assertThat(properties).as("zdm.* properties in the metadata").hasSizeGreaterThanOrEqualTo(16);
        ZdmProperties runtime = new Binder(new MapConfigurationPropertySource()).bindOrCreate("zdm", ZdmProperties.class);
        BeanWrapperImpl bean = new BeanWrapperImpl(runtime);
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> property : properties) {
            String name = (String) property.get("name");
            if (!(property.get("description") instanceof String description) || description.isBlank()) {
                problems.add(name + ": no description");
            }
            Object actual = bean.getPropertyValue(camelPath(name.substring("zdm.".length())));
            Object declared = property.get("defaultValue");
            if (actual == null) {
                if (declared != null) {
                    problems.add(name + ": metadata default " + declared + " but the code binds none");
                }
                continue;
            }
            if (declared == null) {
                problems.add(name + ": no defaultValue in the metadata (the code binds " + actual + ")");
                continue;
            }
            Object converted = ApplicationConversionService.getSharedInstance().convert(declared.toString(), actual.getClass());
            if (!actual.equals(converted)) {
                problems.add(name + ": metadata default " + declared + " but the code binds " + actual);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theCheckCatchesADefaultThatDrifted() {
        ZdmProperties runtime = new Binder(new MapConfigurationPropertySource()).bindOrCreate("zdm", ZdmProperties.class);
        Object actual = new BeanWrapperImpl(runtime).getPropertyValue("guard.lockTimeout");
        assertThat(ApplicationConversionService.getSharedInstance().convert("250ms", actual.getClass())).isNotEqualTo(actual);
        assertThat(ApplicationConversionService.getSharedInstance().convert("200ms", actual.getClass())).isEqualTo(actual);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> zdmProperties() throws Exception {
        List<Map<String, Object>> zdm = new ArrayList<>();
        var resources = ConfigurationMetadataTest.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
        while (resources.hasMoreElements()) {
            String json;
            try (InputStream in = resources.nextElement().openStream()) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, Object> metadata = JsonParserFactory.getJsonParser().parseMap(json);
            for (Object p : (List<Object>) metadata.getOrDefault("properties", List.of())) {
                Map<String, Object> property = (Map<String, Object>) p;
                if (((String) property.get("name")).startsWith("zdm.")) {
                    zdm.add(property);
                }
            }
        }
        return zdm;
    }

    /** {@code guard.lock-timeout} to {@code guard.lockTimeout}. */
    private static String camelPath(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
