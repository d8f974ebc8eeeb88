package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the tests allow each activation, from {@code golden/activation_tolerances.csv}, which
 * {@code src/test/python/activation_reference.py} writes from its one line of data per
 * activation (see {@code scheme()} there): ulps of value and derivative against the golden CSV,
 * what a derivative's error is measured against, the kinks, and how far a saturation cut may sit
 * from the crossing of the code's own φ'. Every registered activation must have a row.
 *
 * @param valueUlps value error allowed, in ulps of the reference
 * @param derivativeUlps derivative error allowed, in ulps of {@link #derivativeScale}
 * @param derivativeScale "abs" (|φ'|), "max" (max φ', absolute) or "gate" (|g| + |x·g'|, g = φ/x)
 * @param condition whether both tolerances are multiplied by 1 + κ, κ = |x·φ'/φ|
 * @param bandUlps how far (in doubles) a saturation cut may sit from the crossing of the code's φ'
 * @param kinks where φ' jumps
 */
record ActivationTolerances(int valueUlps, int derivativeUlps, String derivativeScale, boolean condition, int bandUlps,
        double[] kinks) {
    private static final String CSV = "/golden/activation_tolerances.csv";
    private static final Map<String, ActivationTolerances> BY_ID = load();

    /** The row of {@code act}; fails the test when the reference script has no line for it. */
    static ActivationTolerances of(Activation act) {
        ActivationTolerances t = BY_ID.get(act.id());
        assertThat(t).as("%s: a line in activation_reference.py's SCHEMES (then rerun it)", act.id()).isNotNull();
        return t;
    }

    static Map<String, ActivationTolerances> all() {
        return BY_ID;
    }

    private static Map<String, ActivationTolerances> load() {
        Map<String, ActivationTolerances> m = new LinkedHashMap<>();
        try (InputStream in = ActivationTolerances.class.getResourceAsStream(CSV)) {
            if (in == null) {
                throw new IllegalStateException(CSV + " is not on the test classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = r.readLine();
            if (!"activation,value_ulps,derivative_ulps,derivative_scale,condition,band_ulps,kinks".equals(header)) {
                throw new IllegalStateException(CSV + ": unexpected header " + header);
            }
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",", -1);
                double[] kinks = f[6].isEmpty() ? new double[0]
                        : Arrays.stream(f[6].split(";")).mapToDouble(Double::parseDouble).toArray();
                m.put(f[0], new ActivationTolerances(Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3],
                        Boolean.parseBoolean(f[4]), Integer.parseInt(f[5]), kinks));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }
}
