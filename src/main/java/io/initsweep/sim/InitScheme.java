package io.initsweep.sim;

import java.io.Serializable;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What an initializer scheme declares once, in its class's {@code SCHEME} constant: its spec
 * name and aliases, whether the grid's std axis sets its scale, its formula and the frameworks'
 * functions it matches (the documentation table), its {@link InitParam parameters}, and how a
 * bound set of parameter values becomes a resolved {@link Initializer}. The spec parser, the
 * error messages, the labels and {@link SchemeDocs} all read this declaration.
 *
 * <p>A scheme serializes as its name and reads back as the registered instance.
 */
public final class InitScheme implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final List<String> aliases;
    private final boolean usesStdAxis;
    private final String weights;
    private final String matches;
    private final List<InitParam> params;
    private final transient Function<Args, Initializer> factory;
    private final List<CatalogueEntry> catalogue;

    /**
     * One entry of the catalogue sweep ({@code jobs/catalogue.yaml}, generated): its spec text and
     * an optional comment above it.
     */
    public record CatalogueEntry(String spec, String comment) implements Serializable {}

    private InitScheme(String id, List<String> aliases, boolean usesStdAxis, String weights, String matches,
            List<InitParam> params, Function<Args, Initializer> factory) {
        this(id, aliases, usesStdAxis, weights, matches, params, factory, List.of(new CatalogueEntry(id, null)));
    }

    private InitScheme(String id, List<String> aliases, boolean usesStdAxis, String weights, String matches,
            List<InitParam> params, Function<Args, Initializer> factory, List<CatalogueEntry> catalogue) {
        this.catalogue = List.copyOf(catalogue);
        this.id = Objects.requireNonNull(id, "id");
        this.aliases = List.copyOf(aliases);
        this.usesStdAxis = usesStdAxis;
        this.weights = weights;
        this.matches = matches;
        this.params = List.copyOf(params);
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** A scheme whose scale the grid's std axis sets (normal, uniform, truncated_normal, sparse). */
    static InitScheme onStdAxis(String id, List<String> aliases, String weights, String matches, List<InitParam> params,
            Function<Args, Initializer> factory) {
        return new InitScheme(id, aliases, true, weights, matches, params, factory);
    }

    /** A scheme that sets its own scale. */
    static InitScheme of(String id, List<String> aliases, String weights, String matches, List<InitParam> params,
            Function<Args, Initializer> factory) {
        return new InitScheme(id, aliases, false, weights, matches, params, factory);
    }

    /** The name used in job specs and output columns. */
    public String id() {
        return id;
    }

    /**
     * This scheme with its entries in the catalogue sweep: {@code spec, comment} pairs (comment
     * null for none), e.g. {@code "{identity: {factor: 0.5}}", null}. Without them the entry is the
     * bare name.
     */
    InitScheme inCatalogueAs(String... specAndComment) {
        Check.argument(specAndComment.length > 0 && specAndComment.length % 2 == 0, "%s: give spec, comment pairs", id);
        List<CatalogueEntry> entries = new ArrayList<>();
        for (int i = 0; i < specAndComment.length; i += 2) {
            entries.add(new CatalogueEntry(specAndComment[i], specAndComment[i + 1]));
        }
        return new InitScheme(id, aliases, usesStdAxis, weights, matches, params, factory, entries);
    }

    /** The entries of the catalogue sweep that exercise this scheme. */
    public List<CatalogueEntry> catalogue() {
        return catalogue;
    }

    /** Other names a spec may use for this scheme (other frameworks' spellings); rows use {@link #id()}. */
    public List<String> aliases() {
        return aliases;
    }

    /** Whether the grid's std axis sets this scheme's scale (normal, uniform, truncated_normal, sparse). */
    public boolean usesStdAxis() {
        return usesStdAxis;
    }

    /** How the weights are drawn, as a formula, for the documentation table. */
    public String weights() {
        return weights;
    }

    /** The frameworks' functions this initializer matches, for the documentation table. */
    public String matches() {
        return matches;
    }

    /** The parameters a spec may give, in label order. */
    public List<InitParam> params() {
        return params;
    }

    /** The spec names of {@link #params()}, so a parser can reject any other name. */
    public List<String> paramNames() {
        return params.stream().map(InitParam::name).toList();
    }

    /** The parameter named {@code name}; null if the scheme has none of that name. */
    public InitParam param(String name) {
        for (InitParam p : params) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The resolved initializer with the spec's parameters, by their spec names, and the declared
     * defaults for the rest. Numbers are {@link Number}s, choices their texts (or {@link SpecName}
     * constants). A resolved gain is expected ({@code auto} is the caller's).
     *
     * @param std the grid's std axis value for {@link #usesStdAxis()} schemes; ignored by the others
     * @throws IllegalArgumentException naming the parameter: unknown, missing, of the wrong type
     *     or out of range, or a combination the scheme refuses
     */
    public Initializer bind(Map<String, ?> given, double std) {
        Objects.requireNonNull(given, "given");
        List<String> names = paramNames();
        for (String name : given.keySet()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException(id + (names.isEmpty() ? " takes no parameters"
                        : " takes " + String.join(", ", names)) + ", found '" + name + "'");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (InitParam p : params) {
            Object v = given.get(p.name());
            if (v == null) {
                if (p.required()) {
                    throw new IllegalArgumentException(id + " needs " + p.name() + " (" + p.meaning() + ")");
                }
                v = p.defaultValue();
            } else if (v instanceof SpecName s) {
                v = s.id();
            }
            String problem = p.problem(v);
            if (problem != null) {
                throw new IllegalArgumentException(id + "." + p.name() + " " + problem);
            }
            values.put(p.name(), v);
        }
        return factory.apply(new Args(this, values, given.keySet(), std));
    }

    /** The initializer with every parameter at its default (see {@link #bind}). */
    public Initializer defaults(double std) {
        return bind(Map.of(), std);
    }

    /** {@code value}, if the declared parameter {@code name} allows it; else an exception naming both. */
    double checked(String name, double value) {
        String problem = param(name).problem(value);
        Check.argument(problem == null, "%s.%s %s", id, name, problem);
        return value;
    }

    /** {@code choice}, if the declared parameter {@code name} allows its id. */
    <T extends SpecName> T checked(String name, T choice) {
        Objects.requireNonNull(choice, name);
        String problem = param(name).problem(choice.id());
        Check.argument(problem == null, "%s.%s %s", id, name, problem);
        return choice;
    }

    /** {@code std}, if it can be a std axis value: finite and &gt; 0. */
    double checkedStd(double std) {
        Check.argument(Double.isFinite(std) && std > 0, "%s: std must be finite and > 0, found %s", id, std);
        return std;
    }

    /**
     * A stable, unambiguous name of a resolved initializer of this scheme: the id, then the std
     * axis value (std-axis schemes) and every parameter but those that only set the gain, in
     * declaration order, numbers in the shortest decimal that reads back to the same double, e.g.
     * {@code kaiming_normal(gain=1.4142135623730951, mode=fan_in)}, {@code normal(std=0.01)},
     * {@code he_normal}. A parameter's value is the record component of its name in camel case.
     */
    String label(Initializer init) {
        List<String> parts = new ArrayList<>();
        if (usesStdAxis) {
            parts.add("std=" + number(init.std()));
        }
        for (InitParam p : params) {
            if (!p.intoGain()) {
                parts.add(p.name() + "=" + text(component(init, p.name())));
            }
        }
        return parts.isEmpty() ? id : id + "(" + String.join(", ", parts) + ")";
    }

    private static Object component(Initializer init, String specName) {
        StringBuilder camel = new StringBuilder();
        for (String part : specName.split("_")) {
            camel.append(camel.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        for (RecordComponent c : init.getClass().getRecordComponents()) {
            if (c.getName().contentEquals(camel)) {
                try {
                    return c.getAccessor().invoke(init);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException(init.getClass().getSimpleName() + " has no component " + camel);
    }

    private static String text(Object value) {
        return value instanceof SpecName s ? s.id() : InitParam.text(value);
    }

    @Override
    public String toString() {
        return id;
    }

    private Object writeReplace() {
        return new Ref(id);
    }

    /** The serialized form: the name, read back as the registered scheme. */
    private record Ref(String id) implements Serializable {
        private Object readResolve() {
            return Initializer.byId(id);
        }
    }

    /**
     * The shortest decimal that parses back to {@code x}, from the exact binary value (so the
     * text does not depend on the JDK's Double.toString); integers without a decimal point.
     */
    public static String number(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        BigDecimal exact = new BigDecimal(x);
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() == x) {
                return rounded.stripTrailingZeros().toString().toLowerCase(Locale.ROOT);
            }
        }
        return exact.toString();
    }

    /** A spec's parameter values, defaults filled in and each checked against its declaration. */
    public static final class Args {
        private final InitScheme scheme;
        private final Map<String, Object> values;
        private final java.util.Set<String> given;
        private final double std;

        Args(InitScheme scheme, Map<String, Object> values, java.util.Set<String> given, double std) {
            this.scheme = scheme;
            this.values = values;
            this.given = given;
            this.std = std;
        }

        /** The scheme being bound. */
        public InitScheme scheme() {
            return scheme;
        }

        /** A number parameter's value. */
        public double real(String name) {
            return ((Number) values.get(name)).doubleValue();
        }

        /** An integer parameter's value. */
        public int integer(String name) {
            return (int) real(name);
        }

        /** A choice parameter's value. */
        public String text(String name) {
            return String.valueOf(values.get(name));
        }

        /** Whether the spec gave {@code name} (rather than its default). */
        public boolean given(String name) {
            return given.contains(name);
        }

        /** The grid's std axis value. */
        public double std() {
            return std;
        }
    }
}
