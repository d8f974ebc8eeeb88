package io.initsweep.sim;

import static io.initsweep.sim.Reference.K_SIGMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The initializer registry ({@link Initializer}'s permits clauses): unique names and aliases,
 * and for every registered scheme a fill whose moments match its nominal std, a resolved
 * instance that travels to executors, and documentation.
 */
class InitializerRegistryTest {
    private static final int FAN_IN = 300;
    private static final int FAN_OUT = 200;

    /** The leaves of a sealed hierarchy, in permits order. */
    private static List<Class<?>> leaves(Class<?> type) {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> c : type.getPermittedSubclasses()) {
            if (c.isSealed()) {
                out.addAll(leaves(c));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /** Every scheme with its defaults, and an example value for a required parameter (the one error messages show). */
    private static List<Initializer> everyScheme() {
        List<Initializer> all = new ArrayList<>();
        for (InitScheme s : Initializer.values()) {
            Map<String, Object> given = new java.util.HashMap<>();
            for (InitParam p : s.params()) {
                if (p.required()) {
                    given.put(p.name(), Double.parseDouble(p.defaultOrExample()));
                }
            }
            all.add(s.bind(given, s.usesStdAxis() ? 0.7 : Double.NaN));
        }
        return all;
    }

    @Test
    void theRegistryIsThePermitsClausesWithUniqueNamesAndAliases() {
        List<Class<?>> classes = leaves(Initializer.class);
        List<InitScheme> schemes = Initializer.values();
        assertThat(schemes).hasSize(classes.size()).hasSize(21);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < schemes.size(); i++) {
            InitScheme s = schemes.get(i);
            assertThat(names.add(s.id())).as("unique name %s", s.id()).isTrue();
            assertThat(Initializer.byId(s.id())).isSameAs(s);
            assertThat(Initializer.byName(s.id())).isSameAs(s);
            assertThat(everyScheme().get(i)).as(s.id()).isInstanceOf(classes.get(i));
            assertThat(everyScheme().get(i).scheme()).isSameAs(s);
        }
        for (InitScheme s : schemes) {
            for (String alias : s.aliases()) {
                assertThat(names.add(alias)).as("alias %s of %s is no other name or alias", alias, s.id()).isTrue();
                assertThat(Initializer.byName(alias)).isSameAs(s);
                assertThat(Initializer.byId(alias)).as("an alias is not a name").isNull();
            }
        }
        assertThat(Initializer.byName("trunc_normal_")).isSameAs(TruncatedNormal.SCHEME);
        assertThat(Initializer.byName("eye_")).isSameAs(Identity.SCHEME);
        assertThat(Initializer.byName("glorot")).isNull();
        // the order rows and docs list them in
        assertThat(schemes.stream().map(InitScheme::id).toList()).startsWith("normal", "uniform", "truncated_normal",
                "sparse", "zeros", "ones", "constant", "variance_scaling", "xavier_normal").endsWith("orthogonal", "identity",
                "lsuv");
    }

    @Test
    void activationAliasesAreUniqueToo() {
        Set<String> names = new HashSet<>();
        for (Activation a : Activation.values()) {
            assertThat(names.add(a.id())).isTrue();
            assertThat(Activation.byName(a.id())).isSameAs(a);
        }
        for (Activation a : Activation.values()) {
            for (String alias : a.aliases()) {
                assertThat(names.add(alias)).as("alias %s of %s is no other name or alias", alias, a.id()).isTrue();
                assertThat(Activation.byName(alias)).isSameAs(a);
                assertThat(Activation.byId(alias)).isNull();
            }
        }
        // scikit-learn's MLP names
        assertThat(Activation.byName("logistic")).isSameAs(Activation.SIGMOID);
        assertThat(Activation.byName("identity")).isSameAs(Activation.LINEAR);
    }

    /**
     * Every registered scheme fills a fan_in × fan_out matrix whose entry RMS is its nominal std:
     * exactly for the deterministic and orthogonal schemes (Σw² is fixed), within K_SIGMA
     * standard errors of the mean square for the i.i.d. ones (Var(w²) ≤ (κ − 1)·E[w²]² with
     * kurtosis κ ≤ 3/(1 − sparsity) ≤ 5 here); the zero-mean ones have a sample mean within
     * K_SIGMA standard errors of 0. LSUV's weights depend on the data: its start is the
     * orthonormal matrix, RMS 1/√max(fan_in, fan_out).
     */
    @Test
    void everySchemeFillsAMatrixWithItsNominalStd() {
        Weights weights = new Weights();
        int n = FAN_IN * FAN_OUT;
        for (Initializer init : everyScheme()) {
            double[] w = new double[n];
            weights.fill(init, 11L, 3L, 2, FAN_IN, FAN_OUT, w);
            double sum = 0;
            double sq = 0;
            for (double x : w) {
                sum += x;
                sq += x * x;
            }
            double meanSquare = sq / n;
            double rms = Math.sqrt(meanSquare);
            double nominal = init.nominalStd(FAN_IN, FAN_OUT);
            String what = init.label();
            double mean = sum / n;
            if (init instanceof ConstantWeights) {
                // every entry the same number: std 0
                assertThat(nominal).as(what).isZero();
                assertThat(meanSquare - mean * mean).as(what).isCloseTo(0.0, within(1e-12 * Math.max(1.0, meanSquare)));
            } else if (init instanceof Identity || init instanceof Orthogonal || init instanceof Lsuv) {
                double expected = init instanceof Lsuv ? 1.0 / Math.sqrt(Math.max(FAN_IN, FAN_OUT)) : nominal;
                assertThat(rms).as(what + ": entry RMS").isCloseTo(expected, within(1e-12 * expected));
            } else {
                double s2 = nominal * nominal;
                assertThat(meanSquare).as(what + ": mean square").isCloseTo(s2, within(K_SIGMA * s2 * Math.sqrt(4.0 / n)));
            }
            if (init.meanFieldApplies()) {
                assertThat(mean).as(what + ": mean").isCloseTo(0.0, within(K_SIGMA * rms / Math.sqrt(n)));
            }
        }
    }

    /** Chains travel to executors by Java serialization: a resolved initializer comes back equal, a scheme as itself. */
    @Test
    void everySchemeSerializes() throws IOException, ClassNotFoundException {
        for (Initializer init : everyScheme()) {
            assertThat(roundTrip(init)).as(init.label()).isEqualTo(init);
            assertThat(roundTrip(init.scheme())).as(init.id()).isSameAs(init.scheme());
        }
    }

    private static Object roundTrip(Object o) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    @Test
    void everySchemeHasDocs() {
        String md = SchemeDocs.markdown();
        String csv = SchemeDocs.csv();
        for (InitScheme s : Initializer.values()) {
            assertThat(s.weights()).as(s.id()).isNotBlank();
            assertThat(s.matches()).as(s.id()).isNotBlank();
            assertThat(md).contains("| `" + s.id() + "` |");
            assertThat(csv).contains("init," + s.id() + ",");
            for (String alias : s.aliases()) {
                assertThat(md).contains("`" + alias + "`");
            }
            for (InitParam p : s.params()) {
                assertThat(p.meaning()).as(s.id() + "." + p.name()).isNotBlank();
                assertThat(md).contains("`" + p.name() + "` (" + (p.required() ? "required" : p.defaultText()) + ", " + p.allowed());
            }
        }
    }
}
