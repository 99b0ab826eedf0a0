package dev.zdm.autoconfigure;

import dev.zdm.guard.GuardMode;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches unless {@code zdm.guard.mode=off}. */
class GuardOnCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        GuardMode mode = Binder.get(context.getEnvironment()).bind("zdm.guard.mode", GuardMode.class).orElse(GuardMode.ENFORCE);
        return mode == GuardMode.OFF ? ConditionOutcome.noMatch("zdm.guard.mode is off")
                : ConditionOutcome.match("zdm.guard.mode is " + mode.name().toLowerCase(java.util.Locale.ROOT));
    }
}
