package io.initsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.initsweep.sim.Activation;
import io.initsweep.sim.InitScheme;
import io.initsweep.sim.Initializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a spec can be wrong ends in a {@link SpecException} — never another exception — whose
 * message is one line naming the field path, the value found and what is allowed (STYLE.md,
 * habit 4), and it ends quickly.
 */
@ExtendWith(io.initsweep.MeasuredTimeout.class)
class BadSpecTest {
    /** A valid spec; each test breaks one thing in it. */
    private static final String VALID = """
            name: bad
            seed: 1
            network: {width: 8, batch: 16}
            grid:
              init: [normal, kaiming_normal]
              activation: [relu, tanh]
              std: [1.0]
              depth: [2]
              seed: [0]
            stats: {bins: 10}
            """;

    @TempDir
    Path dir;

    /** VALID with the grid line for {@code key} set to {@code value}, or removed when value is null. */
    private static String grid(String key, String value) {
        String line = "(?m)^  " + key + ": .*\\n";
        assertThat(VALID).containsPattern(line);
        return VALID.replaceFirst(line, value == null ? "" : "  " + key + ": " + value.replace("\\", "\\\\").replace("$", "\\$") + "\n");
    }

    /** VALID with the top-level line for {@code key} set to {@code value}, or removed when value is null. */
    private static String top(String key, String value) {
        String line = "(?m)^" + key + ":.*\\n";
        assertThat(VALID).containsPattern(line);
        return VALID.replaceFirst(line, value == null ? "" : key + ": " + value.replace("\\", "\\\\").replace("$", "\\$") + "\n");
    }

    private static String rejected(String yaml) {
        return rejected(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static String rejected(byte[] bytes) {
        return messageOf(catchThrowable(() -> SpecParser.parse(bytes, "bad")));
    }

    private static String rejectedFile(Path file) {
        return messageOf(catchThrowable(() -> SpecParser.parseFile(file)));
    }

    /** The one-line message of a SpecException, after checking that is what was thrown. */
    private static String messageOf(Throwable thrown) {
        assertThat(thrown).as("the spec must be rejected").isNotNull();
        assertThat(thrown).as("a bad spec must end in a SpecException, got %s", thrown).isExactlyInstanceOf(SpecException.class);
        String message = thrown.getMessage();
        assertThat(message).isNotBlank().doesNotContain("\n", "\r");
        assertThat(message).as("no library internals a user cannot act on")
                .doesNotContain("com.fasterxml", "org.yaml", "java.", "Exception", "StreamReadConstraints");
        return message;
    }

    @Test
    void theBaselineSpecIsValid() {
        assertThat(SpecParser.parse(VALID.getBytes(StandardCharsets.UTF_8), "bad").name()).isEqualTo("bad");
    }

    // ---- names out of closed sets -------------------------------------------------------------

    @Test
    void unknownInitListsTheAllowedNames() {
        String message = rejected(grid("init", "[normal, glorot_magic]"));

        assertThat(message).contains("grid.init[1]", "'glorot_magic'");
        for (InitScheme init : Initializer.values()) {
            assertThat(message).contains(init.id());
        }
    }

    @Test
    void unknownParameterisedInitListsTheAllowedNames() {
        String message = rejected(grid("init", "[{delta_orthogonal: {gain: 1}}]"));

        assertThat(message).contains("grid.init[0]", "'delta_orthogonal'");
        for (InitScheme init : Initializer.values()) {
            assertThat(message).contains(init.id());
        }
    }

    @Test
    void unknownActivationListsTheAllowedNames() {
        String message = rejected(grid("activation", "[relu, prelu]"));

        assertThat(message).contains("grid.activation[1]", "'prelu'");
        for (Activation activation : Activation.values()) {
            assertThat(message).contains(activation.id());
        }
    }

    @Test
    void unknownInputDistributionListsTheAllowedNames() {
        assertThat(rejected(top("network", "{width: 8, input: gaussian}")))
                .contains("network.input", "'gaussian'", "normal", "uniform", "data");
    }

    @Test
    void unknownActivationInStatsRangeListsTheAllowedNames() {
        String message = rejected(top("stats", "{range: {swiglu: [0, 1]}}"));

        assertThat(message).contains("stats.range.swiglu", "'swiglu'");
        for (Activation activation : Activation.values()) {
            assertThat(message).contains(activation.id());
        }
    }

    // ---- numbers out of range -----------------------------------------------------------------

    @ParameterizedTest(name = "std {0}")
    @ValueSource(strings = {"0", "0.0", "-0.5", "-1e-3"})
    void stdMustBePositive(String value) {
        String found = Double.toString(Double.parseDouble(value));

        assertThat(rejected(grid("std", "[1.0, " + value + "]"))).contains("grid.std[1]", found, "> 0");
    }

    @ParameterizedTest(name = "std {0}")
    @ValueSource(strings = {".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "1.0e400", "1e400", "-1e400"})
    void stdMustBeFinite(String value) {
        assertThat(rejected(grid("std", "[1.0, " + value + "]"))).contains("grid.std[1]", value, "finite");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @ValueSource(strings = {".inf", ".nan"})
    void nonFiniteScalarsAreRejectedWhereverTheyAppear(String value) {
        assertThat(rejected(top("stats", "{saturation_threshold: " + value + "}")))
                .contains("stats.saturation_threshold", value, "finite");
        assertThat(rejected(top("stats", "{range: {relu: [0, " + value + "]}}"))).contains("stats.range.relu[1]", value, "finite");
        assertThat(rejected(grid("init", "[{constant: {value: " + value + "}}]"))).contains("grid.init[0].constant.value", value, "finite");
    }

    static Stream<Arguments> integersOutOfRange() {
        String width = "[1, " + SpecParser.MAX_WIDTH + "]";
        String batch = "[1, " + SpecParser.MAX_BATCH + "]";
        String depth = "[1, " + SpecParser.MAX_DEPTH + "]";
        return Stream.of(
                Arguments.of(top("network", "{width: 0}"), "network.width", "0", width),
                Arguments.of(top("network", "{width: -3}"), "network.width", "-3", width),
                Arguments.of(top("network", "{width: " + (SpecParser.MAX_WIDTH + 1) + "}"), "network.width",
                        String.valueOf(SpecParser.MAX_WIDTH + 1), width),
                Arguments.of(top("network", "{width: [8, 0]}"), "network.width[1]", "0", width),
                Arguments.of(top("network", "{width: 99999999999999999999999}"), "network.width", "99999999999999999999999", width),
                Arguments.of(top("network", "{batch: 0}"), "network.batch", "0", batch),
                Arguments.of(top("network", "{batch: -1}"), "network.batch", "-1", batch),
                Arguments.of(top("network", "{batch: " + (SpecParser.MAX_BATCH + 1) + "}"), "network.batch",
                        String.valueOf(SpecParser.MAX_BATCH + 1), batch),
                Arguments.of(grid("depth", "[0]"), "grid.depth[0]", "0", depth),
                Arguments.of(grid("depth", "[2, -2]"), "grid.depth[1]", "-2", depth),
                Arguments.of(grid("depth", "[" + (SpecParser.MAX_DEPTH + 1) + "]"), "grid.depth[0]",
                        String.valueOf(SpecParser.MAX_DEPTH + 1), depth),
                Arguments.of(top("stats", "{bins: 0}"), "stats.bins", "0", "[1, " + SpecParser.MAX_BINS + "]"),
                Arguments.of(top("stats", "{log_bins: -4}"), "stats.log_bins", "-4", "[1, " + SpecParser.MAX_BINS + "]"));
    }

    @ParameterizedTest(name = "{1} = {2}")
    @MethodSource("integersOutOfRange")
    void integersMustLieInTheirRange(String yaml, String path, String value, String allowed) {
        assertThat(rejected(yaml)).contains(path, value, "integer", allowed);
    }

    @ParameterizedTest(name = "depth {0}")
    @CsvSource({"2.5, 2.5", "3.0, 3.0", "1e1, 10.0", "two, two"})
    void depthMustBeAnInteger(String value, String found) {
        assertThat(rejected(grid("depth", "[" + value + "]"))).contains("grid.depth[0]", found, "integer");
    }

    @Test
    void seedsMustBeIntegers() {
        assertThat(rejected(grid("seed", "[0, 1.5]"))).contains("grid.seed[1]", "1.5", "integer");
        assertThat(rejected(top("seed", "99999999999999999999"))).contains("seed", "99999999999999999999", "integer");
    }

    @Test
    void saturationThresholdMustLieInTheUnitInterval() {
        assertThat(rejected(top("stats", "{saturation_threshold: 0}"))).contains("stats.saturation_threshold", "0.0", "(0, 1]");
        assertThat(rejected(top("stats", "{saturation_threshold: 1.5}"))).contains("stats.saturation_threshold", "1.5", "(0, 1]");
    }

    @Test
    void rangesMustBeIncreasingPairs() {
        assertThat(rejected(top("stats", "{range: {relu: [3, 0]}}"))).contains("stats.range.relu", "[3.0, 0.0]", "lo < hi");
        assertThat(rejected(top("stats", "{range: {relu: [1, 2, 3]}}"))).contains("stats.range.relu", "pair", "1, 2, 3");
        assertThat(rejected(top("stats", "{log_range: [-400, 4]}"))).contains("stats.log_range", "-400", "[-300, 300]");
    }

    // ---- wrong types --------------------------------------------------------------------------

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                // a string where a number belongs
                Arguments.of(grid("std", "[abc]"), "grid.std[0]", "'abc'", "number"),
                Arguments.of(top("network", "{width: wide}"), "network.width", "'wide'", "integer"),
                Arguments.of(top("seed", "abc"), "seed", "'abc'", "integer"),
                Arguments.of(top("stats", "{bins: many}"), "stats.bins", "'many'", "integer"),
                // a list where a mapping belongs
                Arguments.of(top("network", "[8, 16]"), "network", "[8, 16]", "mapping"),
                Arguments.of(top("stats", "[10]"), "stats", "[10]", "mapping"),
                Arguments.of(top("stats", "{range: [0, 3]}"), "stats.range", "[0, 3]", "mapping"),
                Arguments.of(grid("init", "[{constant: [0.5]}]"), "grid.init[0]", "[0.5]", "value"),
                Arguments.of(grid("activation", "[{leaky_relu: [0.2]}]"), "grid.activation[0].leaky_relu", "[0.2]", "mapping"),
                // a mapping where a scalar belongs
                Arguments.of(grid("std", "[{value: 1}]"), "grid.std[0]", "{value: 1}", "number"),
                Arguments.of(top("name", "{first: a}"), "name", "{first: a}", "string"),
                Arguments.of(grid("init", "[{normal: {}, kaiming_normal: {}}]"), "grid.init[0]", "{normal: {}, kaiming_normal: {}}",
                        "one-key mapping"),
                // booleans
                Arguments.of(top("network", "{width: true}"), "network.width", "true", "integer"),
                Arguments.of(grid("std", "[false]"), "grid.std[0]", "false", "number"),
                Arguments.of(top("name", "true"), "name", "true", "string"),
                Arguments.of(grid("activation", "[true]"), "grid.activation[0]", "true", "activation name"),
                // numbers where names belong
                Arguments.of(top("name", "[a]"), "name", "[a]", "string"),
                Arguments.of(VALID + "output: 5\n", "output", "5", "string"),
                Arguments.of(grid("init", "[3]"), "grid.init[0]", "3", "initializer name"));
    }

    @ParameterizedTest(name = "{1} = {2}")
    @MethodSource("wrongTypes")
    void wrongTypesNameTheFieldTheValueAndTheExpectedType(String yaml, String path, String value, String expected) {
        assertThat(rejected(yaml)).contains(path, value, expected);
    }

    @Test
    void theSpecItselfMustBeAMapping() {
        assertThat(rejected("- grid\n- init\n")).contains("mapping", "grid", "[grid, init]");
        assertThat(rejected("just a sentence\n")).contains("mapping", "'just a sentence'");
    }

    // ---- axes ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "grid.{0}: []")
    @ValueSource(strings = {"init", "activation", "std", "depth", "seed"})
    void gridAxesMustNotBeEmpty(String axis) {
        assertThat(rejected(grid(axis, "[]"))).contains("grid." + axis, "empty", "at least one value");
    }

    @ParameterizedTest(name = "network.{0}: []")
    @ValueSource(strings = {"width", "batch"})
    void networkAxesMustNotBeEmpty(String axis) {
        assertThat(rejected(top("network", "{" + axis + ": []}"))).contains("network." + axis, "empty", "at least one value");
    }

    static Stream<Arguments> duplicateAxisValues() {
        return Stream.of(
                Arguments.of(grid("init", "[normal, kaiming_normal, normal]"), "grid.init[2]", "grid.init[0]", "normal"),
                Arguments.of(grid("init", "[{constant: {value: 0.5}}, {constant: {value: 5e-1}}]"), "grid.init[1]", "grid.init[0]",
                        "constant"),
                Arguments.of(grid("activation", "[relu, relu]"), "grid.activation[1]", "grid.activation[0]", "relu"),
                Arguments.of(grid("activation", "[leaky_relu, {leaky_relu: {slope: 0.01}}]"), "grid.activation[1]",
                        "grid.activation[0]", "leaky_relu"),
                Arguments.of(grid("std", "[1.0, 0.5, 1e0]"), "grid.std[2]", "grid.std[0]", "1.0"),
                Arguments.of(grid("depth", "[2, 3, 2]"), "grid.depth[2]", "grid.depth[0]", "2"),
                Arguments.of(grid("seed", "[7, 7]"), "grid.seed[1]", "grid.seed[0]", "7"),
                Arguments.of(top("network", "{width: [8, 8]}"), "network.width[1]", "network.width[0]", "8"));
    }

    @ParameterizedTest(name = "{1} repeats {2}")
    @MethodSource("duplicateAxisValues")
    void axisValuesMustBeDistinct(String yaml, String path, String earlierPath, String value) {
        assertThat(rejected(yaml)).contains(path, earlierPath, value, "distinct");
    }

    // ---- keys ---------------------------------------------------------------------------------

    static Stream<Arguments> unknownKeys() {
        return Stream.of(
                Arguments.of(VALID + "colour: red\n", "colour", new String[] {"name", "seed", "network", "grid", "stats", "output"}),
                Arguments.of(top("network", "{width: 8, depth: 3}"), "network.depth", new String[] {"width", "batch", "input"}),
                Arguments.of(grid("seed", "[0]\n  lr: [0.1]"), "grid.lr", new String[] {"init", "activation", "std", "depth", "seed"}),
                Arguments.of(top("stats", "{bins: 10, bin_count: 3}"), "stats.bin_count",
                        new String[] {"bins", "saturation_threshold", "range", "log_bins", "log_range"}),
                Arguments.of(grid("init", "[{constant: {value: 1, scale: 2}}]"), "grid.init[0].constant.scale", new String[] {"value"}),
                Arguments.of(grid("activation", "[{leaky_relu: {alpha: 0.2}}]"), "grid.activation[0].leaky_relu.alpha",
                        new String[] {"slope"}));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("unknownKeys")
    void unknownKeysAreRejectedAtEveryLevel(String yaml, String path, String[] allowed) {
        String message = rejected(yaml);

        assertThat(message).contains(path, "not a known key").contains(allowed);
    }

    static Stream<Arguments> duplicateKeys() {
        return Stream.of(
                Arguments.of(VALID + "seed: 2\n", "seed", 11),
                Arguments.of(top("network", "{width: 8, width: 16}"), "network.width", 3),
                Arguments.of(grid("depth", "[2]\n  depth: [3]"), "grid.depth", 9),
                Arguments.of(top("stats", "{range: {relu: [0, 1], relu: [0, 2]}}"), "stats.range.relu", 10));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("duplicateKeys")
    void duplicateYamlKeysAreRejected(String yaml, String path, int line) {
        assertThat(rejected(yaml)).contains(path, "line " + line, "duplicate", "once");
    }

    static Stream<Arguments> missingRequired() {
        return Stream.of(
                Arguments.of(top("grid", null).replaceAll("(?m)^  .*\\n", ""), "grid", "required"),
                Arguments.of(top("grid", "~").replaceAll("(?m)^  .*\\n", ""), "grid", "required"),
                Arguments.of(grid("init", null), "grid.init", Initializer.ids()),
                Arguments.of(grid("init", "~"), "grid.init", Initializer.ids()),
                Arguments.of(grid("activation", null), "grid.activation", Activation.ids()),
                Arguments.of(grid("depth", null), "grid.depth", "integers 1.." + SpecParser.MAX_DEPTH));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("missingRequired")
    void missingRequiredFieldsAreNamed(String yaml, String path, String allowed) {
        assertThat(rejected(yaml)).contains(path, "missing", allowed);
    }

    @Test
    void fixedScaleInitsNeedTheStdAxis() {
        String message = rejected(grid("std", null).replace("[normal, kaiming_normal]", "[kaiming_normal, uniform]"));

        assertThat(message).contains("grid.std", "missing", "'uniform'", "std: [");
    }

    // ---- parameters ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[constant]", "[{constant: {}}]", "[{constant: null}]", "[{constant: 0.5}]"})
    void constantNeedsAValue(String init) {
        assertThat(rejected(grid("init", init))).contains("grid.init[0]", "constant", "value", "{constant: {value: 0.5}}");
    }

    @Test
    void constantValueMustBeANumber() {
        assertThat(rejected(grid("init", "[{constant: {value: half}}]"))).contains("grid.init[0].constant.value", "'half'", "number");
    }

    @Test
    void parameterlessInitsTakeNoParameters() {
        // Keras/JAX members take none (their scale, mode and distribution are fixed)
        assertThat(rejected(grid("init", "[{glorot_normal: {gain: 2}}]")))
                .contains("grid.init[0].glorot_normal.gain", "not a known key", "takes no parameters");
        assertThat(rejected(grid("init", "[{he_uniform: 3}]"))).contains("grid.init[0].he_uniform", "takes no parameters", "3");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[{relu: {slope: 0.1}}]", "[{tanh: 3}]", "[{sigmoid: {}}]"})
    void parameterlessActivationsTakeNoParameters(String activation) {
        String id = activation.substring(2, activation.indexOf(':'));
        String params = activation.substring(activation.indexOf(':') + 2, activation.length() - 2);

        assertThat(rejected(grid("activation", activation))).contains("grid.activation[0]." + id, "no parameters", params);
    }

    @ParameterizedTest(name = "slope {0}")
    @ValueSource(strings = {"-0.1", "1.5", "100"})
    void leakySlopeMustLieInTheUnitInterval(String slope) {
        String found = Double.toString(Double.parseDouble(slope));

        assertThat(rejected(grid("activation", "[{leaky_relu: {slope: " + slope + "}}]")))
                .contains("grid.activation[0].leaky_relu.slope", found, "[0, 1]");
    }

    @Test
    void leakySlopeMustBeFinite() {
        assertThat(rejected(grid("activation", "[{leaky_relu: {slope: .nan}}]")))
                .contains("grid.activation[0].leaky_relu.slope", ".nan", "finite");
    }

    // ---- files and bytes ----------------------------------------------------------------------

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.yaml");

        assertThat(rejectedFile(file)).contains(file.toString(), "does not exist", "YAML job spec");
    }

    @Test
    void directoryInsteadOfFile() {
        assertThat(rejectedFile(dir)).contains(dir.toString(), "directory", "YAML job spec");
    }

    @ParameterizedTest(name = "[{index}]")
    @ValueSource(strings = {"", "   \n\n", "# only a comment\n", "~\n", "---\n"})
    void emptySpec(String content) throws IOException {
        Path file = dir.resolve("empty.yaml");
        Files.writeString(file, content);

        assertThat(rejectedFile(file)).contains("empty", "grid");
    }

    @Test
    void fileLargerThanTheLimit() throws IOException {
        Path file = dir.resolve("huge.yaml");
        Files.writeString(file, VALID + "#".repeat(SpecParser.MAX_SPEC_BYTES) + "\n");

        assertThat(rejectedFile(file)).contains(file.toString(), String.valueOf(Files.size(file)), String.valueOf(SpecParser.MAX_SPEC_BYTES));
    }

    @Test
    void nonUtf8BytesAreLocated() throws IOException {
        byte[] latin1 = "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, latin1);

        assertThat(rejectedFile(file)).contains("UTF-8", "offset 9");
        assertThat(rejected(latin1)).contains("UTF-8", "offset 9");
    }

    @Test
    void aTruncatedMultiByteSequenceAtTheEndIsNotUtf8() {
        byte[] bytes = Arrays.copyOf("name: \u20ac".getBytes(StandardCharsets.UTF_8), 8); // € is 3 bytes; keep 2

        assertThat(rejected(bytes)).contains("UTF-8", "offset 6");
    }

    @Test
    void aBadByteAtTheEndOfALargeSpecIsFoundQuickly() {
        byte[] bytes = (VALID + "#".repeat(SpecParser.MAX_SPEC_BYTES - VALID.length() - 2) + "\n").getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 2] = (byte) 0xFF;

        assertThat(rejected(bytes)).contains("UTF-8", "offset " + (bytes.length - 2));
    }

    static Stream<Arguments> invalidYaml() {
        return Stream.of(
                Arguments.of("grid: [unclosed\n", "line 2"),
                Arguments.of("grid:\n  init: [kaiming_normal]\n activation: [relu]\n", "line 3"),
                Arguments.of("grid:\n\tinit: [kaiming_normal]\n", "line 1"),
                Arguments.of("grid: {init: kaiming_normal, activation: relu, depth: 1\n", "line 2"),
                Arguments.of("name: 'unterminated\n" + VALID.substring(VALID.indexOf('\n') + 1), "line"),
                Arguments.of("? [a, b]\n: 1\n" + VALID, "line 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidYaml")
    void invalidYamlSyntaxGivesTheLine(String yaml, String where) {
        assertThat(rejected(yaml)).contains("YAML", where);
    }

    @Test
    void aSecondYamlDocumentIsNotSilentlyIgnored() {
        String message = rejected(VALID + "---\n" + grid("init", "[zeros]"));

        assertThat(message).contains("document", "line 12");
    }

    @Test
    void aYamlAliasBombEndsQuickly() {
        // "billion laughs": nine levels of nine aliases each would expand to 9^9 strings
        StringBuilder bomb = new StringBuilder("lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level < 9; level++) {
            String previous = "*lol" + (level - 1);
            bomb.append("lol").append(level).append(": &lol").append(level).append(" [")
                    .append(IntStream.range(0, 9).mapToObj(i -> previous).collect(Collectors.joining(", "))).append("]\n");
        }
        assertThat(rejected(bomb + VALID)).contains("lol1", "alias");

        // the same bomb inside a field the parser does read
        String inGrid = grid("seed", "&s0 [0, 1]\n  std: [*s0, *s0]").replaceFirst("(?m)^  std: \\[1.0\\]\\n", "");
        assertThat(rejected(inGrid)).contains("grid.std[0]", "*s0", "alias");
    }

    @Test
    void aliasesAreNotSilentlyReadAsTheirAnchorName() {
        // Jackson reads an alias as the anchor's name: this used to set output to "n"
        assertThat(rejected(top("name", "&n bad\noutput: *n"))).contains("output", "*n", "alias");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"flow", "block"})
    void hundredDeepNestingIsRejected(String style) {
        String nested = style.equals("flow")
                ? "[".repeat(100) + "]".repeat(100)
                : IntStream.range(0, 100).mapToObj(i -> "\n" + "  ".repeat(i + 2) + "k:").collect(Collectors.joining()) + " v";
        assertThat(rejected(grid("init", nested))).contains("nest", "20", "line");
    }

    @Test
    void veryDeepNestingDoesNotOverflowTheStack() {
        assertThat(rejected(grid("init", "[".repeat(200_000)))).contains("nest", "20");
    }

    @Test
    void overlongNumbersAreRejected() {
        String digits = "1".repeat(200);
        assertThat(rejected(top("seed", digits))).contains("seed", "number", "line 2");
    }

    // ---- sizes --------------------------------------------------------------------------------

    @Test
    void gridsLargerThanTheLimitAreRejected() {
        // 200 depths x 100 seeds x 4 activations x 4 inits x 4 widths = 1,280,000 points
        String depths = IntStream.rangeClosed(1, 200).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
        String seeds = IntStream.range(0, 100).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
        String yaml = """
                network: {width: [4, 8, 12, 16], batch: 2}
                grid:
                  init: [xavier_normal, xavier_uniform, kaiming_normal, kaiming_uniform]
                  activation: [sigmoid, tanh, relu, leaky_relu]
                  depth: %s
                  seed: %s
                """.formatted(depths, seeds);
        long points = 200L * 100 * 4 * 4 * 4;

        assertThat(points).isGreaterThan(SpecParser.MAX_GRID_POINTS);
        assertThat(rejected(yaml)).contains("grid", String.valueOf(points), String.valueOf(SpecParser.MAX_GRID_POINTS));
    }

    @Test
    void gridsWhosePointCountOverflowsALongAreRejectedWithoutABogusCount() {
        // five axes of 10,000 values: 10^20 points, more than Long.MAX_VALUE
        String axis = LongStream.rangeClosed(1, SpecParser.MAX_AXIS).mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]"));
        String yaml = """
                network: {width: %1$s, batch: %1$s}
                grid:
                  init: [normal]
                  activation: [relu]
                  std: %1$s
                  depth: %1$s
                  seed: %1$s
                """.formatted(axis);

        String message = rejected(yaml);

        assertThat(message).contains("grid", "more than", "depth 10000", "seed 10000", String.valueOf(SpecParser.MAX_GRID_POINTS))
                .doesNotContain("grid has " + Long.MAX_VALUE);
    }

    @Test
    void axesLongerThanTheLimitAreRejected() {
        String seeds = LongStream.rangeClosed(0, SpecParser.MAX_AXIS).mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]"));

        assertThat(rejected(grid("seed", seeds))).contains("grid.seed", String.valueOf(SpecParser.MAX_AXIS + 1), String.valueOf(SpecParser.MAX_AXIS));
    }

    @Test
    void batchTimesWidthMustFitOneBuffer() {
        int width = SpecParser.MAX_WIDTH;
        int batch = SpecParser.MAX_BATCH;
        long product = (long) width * batch;

        assertThat(product).isGreaterThan(SpecParser.MAX_BUFFER);
        assertThat(rejected(top("network", "{width: [8, " + width + "], batch: [16, " + batch + "]}")))
                .contains("network", "batch", "width", String.valueOf(width), String.valueOf(batch), String.valueOf(product),
                        String.valueOf(SpecParser.MAX_BUFFER));
    }

    // ---- names --------------------------------------------------------------------------------

    @ParameterizedTest(name = "name {0}")
    @ValueSource(strings = {"has space", "-leading-dash", "a/b", "../up", "é", "x2345678901234567890123456789012345678901234567890123456789012345"})
    void badNamesAreRejected(String name) {
        assertThat(rejected(top("name", "'" + name + "'"))).contains("name", "'" + name + "'", "letters, digits");
    }

    @Test
    void emptyNameIsRejected() {
        assertThat(rejected(top("name", "''"))).contains("name", "''", "1-64 characters");
    }

    @Test
    void aBadDefaultNameSaysItCameFromTheFileName() throws IOException {
        Path file = dir.resolve("my sweep.yaml");
        Files.writeString(file, top("name", null));

        assertThat(rejectedFile(file)).contains("name", "'my sweep'", "file name", "letters, digits");
    }

    @Test
    void outputMustNotBeBlank() {
        assertThat(rejected(top("name", "bad\noutput: ''"))).contains("output", "''", "directory");
    }
}
