package dev.zdm.liquibase.logging;

import liquibase.Scope;
import liquibase.ui.UIService;
import org.slf4j.Marker;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One zdm logger, writing to Liquibase's own outputs of the current {@link Scope}:
 *
 * <ol>
 *   <li>every message to Liquibase's log ({@code Scope.getLog}), so {@code --log-level} and {@code --log-file} see it
 *       (ERROR as SEVERE, WARN as WARNING, INFO as INFO, DEBUG as FINE);</li>
 *   <li>INFO, WARN and ERROR also to Liquibase's user interface ({@code Scope.getUI}): the console of the
 *       {@code liquibase} command, which shows it although the CLI's log level is OFF by default. A lock wait that
 *       retries for 19 s thus says so on the console instead of looking like a hang.</li>
 * </ol>
 */
final class LiquibaseLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    LiquibaseLogger(String name) {
        this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(org.slf4j.event.Level level, Marker marker, String pattern, Object[] arguments,
            Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        Scope scope = Scope.getCurrentScope();
        scope.getLog(LiquibaseLogger.class).log(julLevel(level), message, throwable);
        if (level.toInt() >= org.slf4j.event.Level.INFO.toInt()) {
            UIService ui = scope.getUI();
            if (level == org.slf4j.event.Level.INFO) {
                ui.sendMessage(message);
            } else if (throwable == null) {
                ui.sendErrorMessage(message);
            } else {
                ui.sendErrorMessage(message, throwable);
            }
        }
    }

    private static java.util.logging.Level julLevel(org.slf4j.event.Level level) {
        return switch (level) {
            case ERROR -> java.util.logging.Level.SEVERE;
            case WARN -> java.util.logging.Level.WARNING;
            case INFO -> java.util.logging.Level.INFO;
            case DEBUG, TRACE -> java.util.logging.Level.FINE;
        };
    }
}
