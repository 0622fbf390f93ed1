package org.sockoptbridge.junit;

import java.lang.reflect.AnnotatedElement;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.sockoptbridge.Capabilities;
import org.sockoptbridge.OptionSupport;
import org.sockoptbridge.SockoptBridge;

/**
 * Evaluates {@link EnabledIfSocketOptions} against the bridge's capabilities. Registered by the
 * annotation itself ({@code @ExtendWith}), so users never name this class.
 */
final class SocketOptionsCondition implements ExecutionCondition {
    SocketOptionsCondition() {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<AnnotatedElement> element = context.getElement();
        Optional<EnabledIfSocketOptions> annotation = element.isPresent()
                ? AnnotationSupport.findAnnotation(element.get(), EnabledIfSocketOptions.class)
                : Optional.empty();
        if (annotation.isEmpty()) {
            return ConditionEvaluationResult.enabled("no @EnabledIfSocketOptions");
        }
        return evaluate(SockoptBridge.capabilities(), annotation.get());
    }

    static ConditionEvaluationResult evaluate(Capabilities capabilities, EnabledIfSocketOptions annotation) {
        List<OptionSupport> missing = capabilities.missing(Arrays.asList(annotation.value()));
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("sockopt-bridge supports " + Arrays.toString(annotation.value())
                    + " here (backend: " + capabilities.backend() + ")");
        }
        StringBuilder reason = new StringBuilder("sockopt-bridge cannot provide ");
        for (int i = 0; i < missing.size(); i++) {
            OptionSupport support = missing.get(i);
            reason.append(i == 0 ? "" : "; ").append(support.option()).append(": ").append(support.explanation());
        }
        String backend = capabilities.backend();
        return ConditionEvaluationResult.disabled(reason.append(" (backend: ")
                .append(backend == null ? "none loaded" : backend).append(')').toString());
    }
}
