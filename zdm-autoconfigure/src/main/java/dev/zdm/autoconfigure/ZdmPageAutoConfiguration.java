package dev.zdm.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The operator's progress page ({@code zdm.page.enabled=true}): one static page, served at {@code zdm.page.path} (by
 * default {@code /actuator/zdm}), that reads {@code /actuator/backfills} from the browser. It holds no data of its own,
 * so whatever secures the endpoint secures what the page shows. Servlet web applications only; the page must be served
 * on the port the actuator answers on (no separate management port).
 */
@AutoConfiguration(after = {ZdmActuatorAutoConfiguration.class, WebEndpointAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "zdm.page.enabled")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({RouterFunction.class, WebEndpointProperties.class})
@ConditionalOnBean(BackfillsEndpoint.class)
public final class ZdmPageAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "zdmPage")
    RouterFunction<ServerResponse> zdmPage(ZdmProperties properties, WebEndpointProperties web,
            ObjectProvider<PathMappedEndpoints> endpoints) {
        String base = web.getBasePath();
        String path = properties.getPage().getPath() != null ? properties.getPage().getPath() : base + "/zdm";
        PathMappedEndpoints mapped = endpoints.getIfAvailable();
        String endpoint = mapped != null && mapped.getPath(EndpointId.of("backfills")) != null
                ? mapped.getPath(EndpointId.of("backfills")) : base + "/backfills";
        return ZdmPage.routes(path, endpoint);
    }
}
