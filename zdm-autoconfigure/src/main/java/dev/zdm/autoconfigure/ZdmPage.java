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
                    .body(html.replace(PLACEHOLDER, jsString(endpoint)));
        });
    }

    /**
     * The path as the inside of a single-quoted JavaScript string in a {@code <script>} element, where HTML entities are
     * not decoded: quotes, backslashes, {@code <}, {@code >}, {@code &} and control characters as Unicode escapes.
     */
    static String jsString(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c < 0x20 || c == '\'' || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == 0x2028
                    || c == 0x2029) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
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
