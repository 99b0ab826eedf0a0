package dev.zdm.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/** The progress page: {@code zdm-page.html} with the endpoint's path (under the servlet context) filled in. */
final class ZdmPage {

    static final String RESOURCE = "zdm-page.html";

    private static final String PLACEHOLDER = "__ZDM_ENDPOINT__";

    private ZdmPage() {
    }

    static RouterFunction<ServerResponse> routes(String path, String endpointPath) {
        String html = read();
        return RouterFunctions.route(RequestPredicates.GET(path), request -> {
            String endpoint = request.servletRequest().getContextPath() + endpointPath;
            return ServerResponse.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                    .header("Cache-Control", "no-store").header("X-Content-Type-Options", "nosniff")
                    .header("Content-Security-Policy", "default-src 'none'; connect-src 'self'; img-src 'self' data:;"
                            + " style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
                    .body(html.replace(PLACEHOLDER, HtmlUtils.htmlEscape(endpoint)));
        });
    }

    private static String read() {
        try (InputStream in = ZdmPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("zdm: " + RESOURCE + " is missing from the zdm autoconfigure jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
