package io.initsweep.sim;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The initializer registry, built once from {@link Initializer}'s {@code permits} clause (and
 * those of its sealed sub-interfaces, in place): each record's {@code public static final
 * InitScheme SCHEME}. Names and aliases are checked to be unique across the registry.
 */
final class InitRegistry {
    private static final List<InitScheme> SCHEMES;
    private static final Map<Class<?>, InitScheme> BY_CLASS = new HashMap<>();
    private static final Map<String, InitScheme> BY_NAME = new HashMap<>();

    static {
        List<InitScheme> all = new ArrayList<>();
        collect(Initializer.class, all);
        SCHEMES = List.copyOf(all);
        for (InitScheme s : SCHEMES) {
            Check.state(BY_NAME.putIfAbsent(s.id(), s) == null, "two initializers are named '%s'", s.id());
        }
        for (InitScheme s : SCHEMES) {
            for (String alias : s.aliases()) {
                InitScheme other = BY_NAME.putIfAbsent(alias, s);
                Check.state(other == null, "alias '%s' of %s is already a name of %s", alias, s.id(), other);
            }
        }
    }

    private InitRegistry() {}

    private static void collect(Class<?> type, List<InitScheme> out) {
        for (Class<?> c : type.getPermittedSubclasses()) {
            if (c.isSealed()) {
                collect(c, out);
                continue;
            }
            try {
                Field f = c.getField("SCHEME");
                Check.state(Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers()),
                        "%s.SCHEME must be static final", c);
                InitScheme s = (InitScheme) f.get(null);
                BY_CLASS.put(c, s);
                out.add(s);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(c + " needs a public static final InitScheme SCHEME", e);
            }
        }
    }

    static List<InitScheme> schemes() {
        return SCHEMES;
    }

    static InitScheme schemeOf(Class<?> c) {
        return BY_CLASS.get(c);
    }

    static InitScheme byId(String id) {
        InitScheme s = BY_NAME.get(id);
        return s != null && s.id().equals(id) ? s : null;
    }

    static InitScheme byName(String name) {
        return BY_NAME.get(name);
    }
}
