package io.initsweep;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Fails a test that runs longer than {@link #JVM_STARTS} measured JVM starts ({@link TimeLimits}),
 * stopping it in a separate thread: a guard against work that never ends (a parser loop, a
 * decompression bomb), scaled to this machine as it is now.
 */
public final class MeasuredTimeout implements InvocationInterceptor {
    /** How many JVM starts a test may take. */
    static final double JVM_STARTS = 20;

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) {
        guard(invocation);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) {
        guard(invocation);
    }

    private static void guard(Invocation<Void> invocation) {
        assertTimeoutPreemptively(TimeLimits.jvmStarts(JVM_STARTS), () -> {
            invocation.proceed();
            return null;
        }, () -> "longer than " + JVM_STARTS + " JVM starts (" + TimeLimits.jvmStarts(JVM_STARTS) + ")");
    }
}
