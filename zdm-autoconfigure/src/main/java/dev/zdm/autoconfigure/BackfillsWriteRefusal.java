package dev.zdm.autoconfigure;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * A POST to the read-only {@code backfills} endpoint: 405 with a body that says why and how to allow it, instead of an
 * empty 405. Every other request and error is left to Spring MVC.
 */
final class BackfillsWriteRefusal implements HandlerExceptionResolver, Ordered {

    static final String MESSAGE = "the backfills endpoint is read-only: pause, resume, cancel and retry need"
            + " management.endpoint.backfills.access=unrestricted (and management.endpoints.access.max-permitted, if set,"
            + " must allow it); secure the endpoint before you do";

    private final String endpointPath;

    BackfillsWriteRefusal(String endpointPath) {
        this.endpointPath = endpointPath;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (!(ex instanceof HttpRequestMethodNotSupportedException) || !"POST".equals(request.getMethod())) {
            return null;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.equals(endpointPath) && !path.startsWith(endpointPath + "/")) {
            return null;
        }
        try {
            response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            response.setHeader("Allow", "GET");
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write("{\"error\":\"" + MESSAGE + "\"}");
            return new ModelAndView();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
