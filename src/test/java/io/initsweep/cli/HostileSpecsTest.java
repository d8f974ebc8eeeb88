package io.initsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.cli.Cli.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A generator of malformed specs — every field given values of the wrong type, out of range,
 * non-finite, unknown or absurdly large, plus structural attacks (YAML bombs, deep nesting,
 * non-UTF-8 bytes, empty and oversized files, a directory) — each run through {@code run}: exit
 * 2, one line naming the problem, no stack trace, nothing written, quickly. The worst of them are
 * also run as separate processes, which must return within seconds.
 */
class HostileSpecsTest {
    @TempDir
    static Path dir;

    /** A valid spec with one field replaced by raw YAML text (null: the base itself). */
    static String spec(String section, String key, String value) {
        Map<String, Map<String, String>> s = new LinkedHashMap<>();
        s.put("network", new LinkedHashMap<>(Map.of("width", "8", "batch", "4")));
        s.put("grid", new LinkedHashMap<>());
        s.get("grid").put("init", "[normal]");
        s.get("grid").put("activation", "[relu]");
        s.get("grid").put("std", "[1.0]");
        s.get("grid").put("depth", "[2]");
        s.get("grid").put("seed", "[0]");
        s.put("stats", new LinkedHashMap<>(Map.of("bins", "10")));
        Map<String, String> top = new LinkedHashMap<>();
        top.put("name", "hostile");
        top.put("seed", "1");
        if (section == null) {
            top.put(key, value);
        } else {
            s.get(section).put(key, value);
        }
        StringBuilder sb = new StringBuilder();
        top.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        s.forEach((sec, fields) -> {
            sb.append(sec).append(": {");
            String sep = "";
            for (Map.Entry<String, String> f : fields.entrySet()) {
                sb.append(sep).append(f.getKey()).append(": ").append(f.getValue());
                sep = ", ";
            }
            sb.append("}\n");
        });
        return sb.toString();
    }

    record Case(String name, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case text(String name, String yaml) {
        return new Case(name, yaml.getBytes(StandardCharsets.UTF_8));
    }

    static final List<String> NOT_A_NUMBER = List.of("abc", "''", "true", "null", "[]", "{}", "'1 2'", ".nan", ".inf", "-.inf",
            "1e400", "-1e400", "0x1G", "9".repeat(120));

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // integers: wrong types, non-finite, fractional, out of range, too long
        Map<String, String[]> ints = new LinkedHashMap<>();
        ints.put("network.width", new String[] {"0", "-1", "16385", "1.5"});
        ints.put("network.batch", new String[] {"0", "-4", "10000001", "2.5"});
        ints.put("network.input_width", new String[] {"0", "-8", "99999", "8.5"});
        ints.put("grid.depth", new String[] {"[0]", "[-2]", "[10001]", "[2.5]", "[[2]]", "[2, 2]"});
        ints.put("stats.bins", new String[] {"0", "-3", "10001", "3.3"});
        ints.put("stats.log_bins", new String[] {"0", "-3", "10001", "1.1"});
        ints.forEach((field, bad) -> {
            String[] f = field.split("\\.");
            for (String v : bad) {
                c.add(text(field + " = " + v, spec(f[0], f[1], v)));
            }
            for (String v : NOT_A_NUMBER) {
                String value = f[0].equals("grid") ? "[" + v + "]" : v;
                c.add(text(field + " = " + value, spec(f[0], f[1], value)));
            }
        });
        // real numbers with ranges
        Map<String, String[]> reals = new LinkedHashMap<>();
        reals.put("grid.std", new String[] {"[0]", "[-1]", "[1.0, 1.0]", "[]"});
        reals.put("network.bias_std", new String[] {"-0.5", "[0, 0]", "[.nan, 0]"});
        reals.put("stats.saturation_threshold", new String[] {"0", "-0.1", "1.5"});
        reals.forEach((field, bad) -> {
            String[] f = field.split("\\.");
            for (String v : bad) {
                c.add(text(field + " = " + v, spec(f[0], f[1], v)));
            }
            for (String v : NOT_A_NUMBER) {
                if (v.equals("null") && !f[0].equals("grid") || v.equals("[]") && f[0].equals("grid")) {
                    continue; // a null optional field is its default; an empty list is covered above
                }
                String value = f[0].equals("grid") ? "[" + v + "]" : v;
                c.add(text(field + " = " + value, spec(f[0], f[1], value)));
            }
        });
        // names and parameters
        Map<String, String[]> names = new LinkedHashMap<>();
        names.put("grid.init", new String[] {"[glorot_magic]", "[123]", "['']", "[[normal]]", "[{normal: {std: 2}}]",
            "[{kaiming_normal: {mode: fan_sideways}}]", "[{sparse: {sparsity: 2}}]", "[constant]", "[{lsuv: {max_iter: 0}}]",
            "[{xavier_normal: {gain: .nan}}]", "[{orthogonal: {gain: auto, gain: 2}}]", "[{variance_scaling: {scale: -1}}]",
            "[{truncated_normal: {a: 3, b: -3}}]", "[{identity: {factor: .inf}}]", "[]", "{}", "normal normal"});
        names.put("grid.activation", new String[] {"[swish9]", "[RELU]", "['']", "[[relu]]", "[{leaky_relu: {slope: 2}}]",
            "[{elu: {alpha: -1}}]", "[{relu: {slope: 0.1}}]", "[{gelu: {approximate: tanh}}]", "[{leaky_relu: {slope: .nan}}]",
            "[]", "{}"});
        names.put("network.input", new String[] {"gaussian", "''", "data", "{data: x.txt}", "{data: [a.csv]}", "[]", "{}",
            "{uniform: {low: 0}}", "{data: 5}"});
        names.put("network.dtype", new String[] {"float16", "bfloat16", "''", "[]", "{}", "[float32, float32]", "64"});
        names.forEach((field, bad) -> {
            String[] f = field.split("\\.");
            for (String v : bad) {
                c.add(text(field + " = " + v, spec(f[0], f[1], v)));
            }
        });
        // top-level fields
        for (String v : new String[] {"''", "'has space'", "'a/b'", "'../up'", "'" + "n".repeat(65) + "'", "[]", "{}", "-lead"}) {
            c.add(text("name = " + v, spec(null, "name", v)));
        }
        for (String v : new String[] {"abc", "1.5", "99999999999999999999", ".nan", "[]", "{}", "true"}) {
            c.add(text("seed = " + v, spec(null, "seed", v)));
        }
        for (String v : new String[] {"''", "[]", "{}"}) {
            c.add(text("output = " + v, spec(null, "output", v)));
        }
        for (String v : new String[] {"{relu: [1, 0]}", "{relu: [0]}", "{nope: [0, 1]}", "{relu: [.nan, 1]}", "[0, 1]", "abc",
            "{relu: [0, .inf]}"}) {
            c.add(text("stats.range = " + v, spec("stats", "range", v)));
        }
        for (String v : new String[] {"[4, -12]", "[-400, 4]", "[0]", "abc", "[-12, 400]"}) {
            c.add(text("stats.log_range = " + v, spec("stats", "log_range", v)));
        }
        c.add(text("unknown top-level key", spec(null, "colour", "red")));
        c.add(text("unknown network key", spec("network", "height", "3")));
        c.add(text("unknown grid key", spec("grid", "lr", "[0.1]")));
        c.add(text("unknown stats key", spec("stats", "kurtosis", "true")));
        // grid size: products beyond the documented limit, and beyond a long
        String many = "[" + String.join(", ", java.util.stream.IntStream.rangeClosed(1, 1000).mapToObj(String::valueOf).toList()) + "]";
        c.add(text("grid of 1e9 points", spec("grid", "seed", many).replace("depth: [2]", "depth: " + many)
                .replace("width: 8", "width: " + many.replace("1000]", "999]"))));
        c.add(text("axis longer than 10000", spec("grid", "seed", "[" + String.join(", ",
                java.util.stream.IntStream.range(0, 10001).mapToObj(String::valueOf).toList()) + "]")));
        c.add(text("batch × width beyond a buffer", spec("network", "width", "16384").replace("batch: 4", "batch: 10000000")));
        // structure and encoding
        c.add(new Case("empty file", new byte[0]));
        c.add(text("whitespace only", "  \n\t\n"));
        c.add(text("comment only", "# nothing\n"));
        c.add(text("document marker only", "---\n"));
        c.add(text("top-level list", "- a\n- b\n"));
        c.add(text("top-level scalar", "42\n"));
        c.add(text("missing grid", "name: x\nnetwork: {width: 8}\n"));
        c.add(text("duplicate key", spec(null, "name", "a") + "name: b\n"));
        c.add(text("tab indentation", "grid:\n\tinit: [normal]\n"));
        c.add(text("unclosed flow", "grid: {init: [normal\n"));
        c.add(new Case("non-UTF-8 bytes", new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'}));
        c.add(new Case("UTF-16 with BOM", "name: x\n".getBytes(StandardCharsets.UTF_16)));
        c.add(new Case("binary garbage", new byte[] {0, 1, 2, 3, (byte) 0x80, (byte) 0x9f, 0, 0x7f}));
        c.add(text("NUL in a name", spec(null, "name", "\"a\\0b\"")));
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char ch = 'b'; ch <= 'j'; ch++) {
            char prev = (char) (ch - 1);
            bomb.append(ch).append(": &").append(ch).append(" [*").append(prev);
            for (int k = 0; k < 8; k++) {
                bomb.append(",*").append(prev);
            }
            bomb.append("]\n");
        }
        c.add(text("YAML bomb (billion laughs)", bomb + "grid: {init: *j}\n"));
        c.add(text("alias inside the grid", "grid: {init: &x [normal], activation: *x, depth: [2]}\n"));
        c.add(text("deeply nested lists", "grid: {init: " + "[".repeat(5000) + "]".repeat(5000) + "}\n"));
        c.add(text("deeply nested mappings", "grid: " + "{a: ".repeat(3000) + "1" + "}".repeat(3000) + "\n"));
        c.add(text("number with 1000 digits", spec("network", "width", "1" + "0".repeat(999))));
        c.add(text("spec larger than 1 MiB", spec(null, "name", "big") + "# " + "x".repeat(1_100_000) + "\n"));
        c.add(text("very long key", spec("grid", "k".repeat(100_000), "1")));
        return c.stream();
    }

    @Test
    void theGeneratorMakesAtLeast200Cases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(200);
        assertThat(cases().map(Case::name).distinct().count()).isEqualTo(cases().count());
        // and the base spec it mutates is valid, so each case fails for its own reason
        Outcome ok = Cli.run("validate", write("base", spec(null, "name", "hostile").getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(ok.code()).as(ok.err()).isZero();
    }

    static Path write(String name, byte[] bytes) {
        try {
            Path f = dir.resolve(name.replaceAll("[^A-Za-z0-9]+", "_") + "-" + Integer.toHexString(name.hashCode()) + ".yaml");
            return Files.write(f, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedInOneLineWithExitTwoAndNothingWritten(Case c) {
        Path file = write(c.name(), c.bytes());
        Path target = dir.resolve("never-" + Integer.toHexString(c.name().hashCode()));
        long t0 = System.nanoTime();
        Outcome r = Cli.run("run", file.toString(), "--out", target.toString(), "--quiet");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.code()).as("%s: %s", c.name(), r.err()).isEqualTo(2);
        assertThat(r.err().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Caused by");
        assertThat(r.err().length()).as("a line, not a dump").isLessThan(2000);
        assertThat(r.out()).isEmpty();
        assertThat(target).doesNotExist();
        assertThat(seconds).as("refused quickly").isLessThan(5.0);
    }

    @Test
    void aDirectoryOrAMissingFileIsRefusedToo() throws IOException {
        Path d = Files.createDirectories(dir.resolve("a-directory.yaml"));
        for (Path p : List.of(d, dir.resolve("missing.yaml"))) {
            Outcome r = Cli.run("run", p.toString(), "--out", dir.resolve("never-dir").toString());
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err().lines()).hasSize(1);
            assertThat(r.err()).contains(p.getFileName().toString()).doesNotContain("Exception");
        }
        assertThat(dir.resolve("never-dir")).doesNotExist();
    }

    /** The worst cases as separate JVMs: each process ends within seconds with exit 2. */
    @Test
    void theWorstCasesEndTheirProcessWithinSeconds() throws Exception {
        List<String> worst = List.of("YAML bomb (billion laughs)", "deeply nested lists", "deeply nested mappings",
                "spec larger than 1 MiB", "non-UTF-8 bytes", "grid of 1e9 points");
        List<Case> picked = cases().filter(c -> worst.contains(c.name())).toList();
        assertThat(picked).hasSize(worst.size());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (Case c : picked) {
            Path file = write("proc " + c.name(), c.bytes());
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.initsweep.cli.Main",
                    "validate", file.toString()).redirectErrorStream(true).start();
            boolean done = io.initsweep.TimeLimits.waitFor(p, 30);
            if (!done) {
                p.destroyForcibly();
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(done).as("%s returned within 30 JVM starts (%s)", c.name(), io.initsweep.TimeLimits.jvmStarts(30)).isTrue();
            assertThat(p.exitValue()).as("%s: %s", c.name(), output).isEqualTo(2);
            assertThat(output.lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING"))).as(output).hasSize(1);
        }
    }
}
