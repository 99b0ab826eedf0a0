package dev.zdm.sample;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The sample's home page is zdm's operator page ({@code zdm.page.path}). */
@Configuration(proxyBeanMethods = false)
class HomePage implements WebMvcConfigurer {

    private final String page;

    HomePage(org.springframework.core.env.Environment environment) {
        this.page = environment.getProperty("zdm.page.path", environment.getProperty("management.endpoints.web.base-path",
                "/actuator") + "/zdm");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", page);
    }
}
