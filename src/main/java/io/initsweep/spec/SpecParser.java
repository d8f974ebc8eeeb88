package io.initsweep.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.initsweep.sim.Activation;
import io.initsweep.sim.Backward;
import io.initsweep.sim.Dtype;
import io.initsweep.sim.Gradients;
import io.initsweep.sim.Optimizer;
import io.initsweep.sim.Training;
import io.initsweep.sim.TrainingSetup;
import io.initsweep.sim.HistogramSpec;
import io.initsweep.sim.InitParam;
import io.initsweep.sim.InitScheme;
import io.initsweep.sim.Initializer;
import io.initsweep.sim.InputDistribution;
import io.initsweep.sim.StatsConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads and validates a job spec. Every problem becomes a {@link SpecException} whose one-line
 * message names the field path, the value found and what is allowed. Nothing here touches
 * Spark or the output directory.
 */
public final class SpecParser {
    /** Largest spec file accepted. */
    public static final int MAX_SPEC_BYTES = 1 << 20;
    /** Largest grid accepted (grid points). */
    public static final long MAX_GRID_POINTS = 1_000_000L;
    /** Longest axis accepted. */
    public static final int MAX_AXIS = 10_000;
    /** Largest width. */
    public static final int MAX_WIDTH = 16_384;
    /** Largest batch. */
    public static final int MAX_BATCH = 10_000_000;
    /** Largest depth. */
    public static final int MAX_DEPTH = 10_000;
    /** Largest number of histogram bins. */
    public static final int MAX_BINS = 10_000;
    /** Largest batch × width (one buffer of doubles must fit a Java array). */
    public static final long MAX_BUFFER = Integer.MAX_VALUE - 8L;

    /** Deepest YAML nesting accepted (a valid spec needs 5). */
    private static final int MAX_NESTING = 20;
    /** Longest number literal accepted, in characters. */
    private static final int MAX_NUMBER_LENGTH = 100;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Set<String> TOP_KEYS = Set.of("name", "seed", "network", "grid", "stats", "gradients", "training",
            "output");
    private static final Set<String> NETWORK_KEYS = Set.of("width", "batch", "input", "correlation", "input_width", "bias_std",
            "dtype");
    private static final Set<String> GRID_KEYS = Set.of("init", "activation", "std", "depth", "seed");
    private static final Set<String> GRADIENTS_KEYS = Set.of("error", "outputs", "jacobian_samples");
    private static final Set<String> TRAINING_KEYS = Set.of("task", "kind", "outputs", "samples", "test_samples", "optimizer",
            "lr", "momentum", "beta1", "beta2", "eps", "steps", "batch", "record");
    private static final Set<String> STATS_KEYS = Set.of("bins", "saturation_threshold", "range", "log_bins", "log_range");

    private SpecParser() {}

    /** Reads, parses and validates the spec file at {@code file}. */
    public static SweepSpec parseFile(Path file) {
        SpecException.check(Files.exists(file), "spec %s does not exist; give the path of a YAML job spec", file);
        SpecException.check(!Files.isDirectory(file), "spec %s is a directory; give the path of a YAML job spec", file);
        byte[] bytes;
        try {
            SpecException.check(Files.size(file) <= MAX_SPEC_BYTES, "spec %s is %s bytes; at most %s allowed", file,
                    Files.size(file), MAX_SPEC_BYTES);
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw SpecException.of("spec %s cannot be read: %s", file, oneLine(e.getMessage()));
        }
        String defaultName = file.getFileName().toString().replaceFirst("\\.(ya?ml)$", "");
        return parse(bytes, defaultName);
    }

    /** Parses and validates spec bytes; {@code defaultName} names the sweep when the spec has no name. */
    public static SweepSpec parse(byte[] bytes, String defaultName) {
        String text = decodeUtf8(bytes);
        SpecException.check(!text.isBlank(), "spec is empty; expected a YAML mapping with at least a grid section");
        JsonNode root = readYaml(text);
        // a bare "---" document reads as the empty string
        SpecException.check(
                !(root == null || root.isMissingNode() || root.isNull() || (root.isTextual() && root.asText().isEmpty())),
                "spec is empty; expected a YAML mapping with at least a grid section");
        SpecException.check(root.isObject(), "spec must be a YAML mapping of name, seed, network, grid, stats, output; found %s",
                describe(root));
        checkKeys(root, "", TOP_KEYS);

        String name = defaultName;
        boolean nameDefaulted = !root.has("name");
        if (!nameDefaulted) {
            name = text(root.get("name"), "name");
        }
        SpecException.check(NAME.matcher(name).matches(), "name must be 1-64 characters of letters, digits, '_', '.', '-' "
                + "starting with a letter or digit, found '%s'%s", name,
                (nameDefaulted ? " (the spec has no name, so it defaulted to the file name; add name: to the spec)" : ""));
        long masterSeed = root.has("seed") ? longValue(root.get("seed"), "seed") : 0L;

        JsonNode network = section(root, "network", false);
        checkKeys(network, "network.", NETWORK_KEYS);
        List<Integer> widths = network.has("width")
                ? axis(network.get("width"), "network.width", (n, p) -> intIn(n, p, 1, MAX_WIDTH))
                : List.of(100);
        List<Integer> batches = network.has("batch")
                ? axis(network.get("batch"), "network.batch", (n, p) -> intIn(n, p, 1, MAX_BATCH))
                : List.of(1000);
        List<InputChoice> inputs = network.has("input")
                ? axis(network.get("input"), "network.input", SpecParser::inputChoice)
                : List.of(InputChoice.drawn(InputDistribution.NORMAL));
        if (network.has("correlation")) {
            inputs = correlationAxis(network, inputs);
        }
        List<Integer> inputWidths = network.has("input_width")
                ? axis(network.get("input_width"), "network.input_width", (n, p) -> intIn(n, p, 1, MAX_WIDTH))
                : List.of();
        List<Double> biasStds = network.has("bias_std")
                ? axis(network.get("bias_std"), "network.bias_std", (n, p) -> {
                    double v = finite(n, p);
                    SpecException.check(v >= 0, "%s must be >= 0 (0 = no bias), found %s", p, v);
                    return v == 0.0 ? 0.0 : v; // -0.0 is 0
                })
                : List.of(0.0);
        List<Dtype> dtypes = network.has("dtype")
                ? axis(network.get("dtype"), "network.dtype", (n, p) -> {
                    String id = text(n, p);
                    Dtype d = Dtype.byId(id);
                    SpecException.check(d != null, "%s must be one of %s, found '%s'", p, Dtype.ids(), id);
                    return d;
                })
                : List.of(Dtype.FLOAT64);
        // the largest product is the largest width times the largest batch: no need to try every pair
        int w = Math.max(widths.stream().mapToInt(Integer::intValue).max().orElseThrow(),
                inputWidths.stream().mapToInt(Integer::intValue).max().orElse(0));
        int b = batches.stream().mapToInt(Integer::intValue).max().orElseThrow();
        SpecException.check((long) w * b <= MAX_BUFFER, "network: batch × width = %s × %s = %s exceeds the largest buffer, %s "
                + "values", b, w, ((long) w * b), MAX_BUFFER);

        JsonNode grid = section(root, "grid", true);
        checkKeys(grid, "grid.", GRID_KEYS);
        require(grid, "init", "grid.init", "a list of initializers (" + Initializer.ids() + ")");
        require(grid, "activation", "grid.activation", "a list of activations (" + Activation.ids() + ")");
        require(grid, "depth", "grid.depth", "a list of depths (integers 1.." + MAX_DEPTH + ")");
        List<InitChoice> inits = axis(grid.get("init"), "grid.init", SpecParser::initChoice);
        List<ActivationChoice> activations = axis(grid.get("activation"), "grid.activation", SpecParser::activationChoice);
        for (int i = 0; i < inits.size(); i++) {
            InitChoice init = inits.get(i);
            if (!init.gainAuto()) {
                continue;
            }
            for (int j = 0; j < activations.size(); j++) {
                ActivationChoice act = activations.get(j);
                SpecException.check(!Double.isNaN(act.activation().gain(act.param())), "%s.%s.gain: auto is PyTorch's "
                        + "calculate_gain, which has no value for %s (%s); give a number, or use auto only with linear, "
                        + "sigmoid, tanh, relu, leaky_relu, selu", index(grid.get("init"), "grid.init", i), init.scheme().id(),
                        act.activation().id(), index(grid.get("activation"), "grid.activation", j));
            }
        }
        List<Integer> depths = axis(grid.get("depth"), "grid.depth", (n, p) -> intIn(n, p, 1, MAX_DEPTH));
        List<Long> seeds = grid.has("seed") ? axis(grid.get("seed"), "grid.seed", SpecParser::longValue) : List.of(0L);
        List<Double> stds = List.of();
        boolean needsStd = inits.stream().anyMatch(c -> c.scheme().usesStdAxis());
        if (grid.has("std")) {
            stds = axis(grid.get("std"), "grid.std", (n, p) -> {
                double v = finite(n, p);
                SpecException.check(v > 0, "%s must be > 0, found %s", p, v);
                return v;
            });
        } else if (needsStd) {
            InitChoice first = inits.stream().filter(c -> c.scheme().usesStdAxis()).findFirst().orElseThrow();
            throw SpecException.of("grid.std is missing; init '%s' takes its weight std-dev from it (e.g. std: [1.0, 0.01])",
                    first.scheme().id());
        }

        JsonNode statsNode = section(root, "stats", false);
        checkKeys(statsNode, "stats.", STATS_KEYS);
        int bins = statsNode.has("bins") ? intIn(statsNode.get("bins"), "stats.bins", 1, MAX_BINS) : 30;
        double tau = StatsConfig.DEFAULT_SATURATION_THRESHOLD;
        if (statsNode.has("saturation_threshold")) {
            tau = finite(statsNode.get("saturation_threshold"), "stats.saturation_threshold");
            SpecException.check(tau > 0 && tau <= 1, "stats.saturation_threshold must be in (0, 1], found %s", tau);
        }
        Map<String, double[]> ranges = new LinkedHashMap<>();
        if (statsNode.has("range")) {
            JsonNode r = statsNode.get("range");
            SpecException.check(r.isObject(), "stats.range must be a mapping of activation to [lo, hi], e.g. {relu: [0, 3]}; "
                    + "found %s", describe(r));
            Iterator<Map.Entry<String, JsonNode>> it = r.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = "stats.range." + e.getKey();
                SpecException.check(Activation.byId(e.getKey()) != null, "%s: unknown activation '%s'; allowed: %s", path,
                        e.getKey(), Activation.ids());
                ranges.put(e.getKey(), pair(e.getValue(), path));
            }
        }
        HistogramSpec logDefault = StatsConfig.DEFAULT_LOG_HISTOGRAM;
        int logBins = statsNode.has("log_bins") ? intIn(statsNode.get("log_bins"), "stats.log_bins", 1, MAX_BINS)
                : logDefault.bins();
        double[] logRange = statsNode.has("log_range") ? pair(statsNode.get("log_range"), "stats.log_range")
                : new double[] {logDefault.lo(), logDefault.hi()};
        SpecException.check(!(logRange[0] < -300 || logRange[1] > 300), "stats.log_range must lie within [-300, 300] "
                + "(decades), found [%s, %s]", logRange[0], logRange[1]);

        Gradients gradients = root.has("gradients") ? gradients(root.get("gradients")) : null;
        List<TrainingSetup> trainings = root.has("training") ? trainings(root.get("training")) : List.of();

        String output = root.has("output") ? text(root.get("output"), "output") : null;
        SpecException.check(!(output != null && output.isBlank()), "output must be a directory path, found ''");

        SweepSpec spec = new SweepSpec(name, masterSeed, widths, batches, inputs, inputWidths, biasStds, dtypes, inits, activations, stds, depths, seeds,
                new SweepSpec.StatsOptions(bins, tau, ranges, logBins, logRange[0], logRange[1], gradients, trainings), output, text, sha256(bytes));
        long points = Grid.pointCount(spec);
        if (points > MAX_GRID_POINTS) {
            // pointCount saturates at Long.MAX_VALUE: do not print that as if it were the count
            String count = points == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : String.valueOf(points);
            long perInit = 0;
            for (InitChoice c : inits) {
                perInit += c.scheme().usesStdAxis() ? Math.max(stds.size(), 1) : 1;
            }
            throw SpecException.of("grid has %s points (init×std %s × activation %s × depth %s × seed %s × width %s × batch %s"
                    + " × input %s × input_width %s × bias_std %s × dtype %s); at most %s allowed per sweep (split it into"
                    + " several sweeps)", count, perInit, activations.size(), depths.size(), seeds.size(), widths.size(),
                    batches.size(), inputs.size(), Math.max(1, inputWidths.size()), biasStds.size(), dtypes.size(),
                    MAX_GRID_POINTS);
        }
        return spec;
    }

    private static String decodeUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            // one pass: the decoder stops at the first bad sequence (a truncated one at the end included)
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw SpecException.of("spec is not valid UTF-8 (first bad byte at offset %s, line %s); save it as UTF-8 text", offset,
                    line);
        }
        return out.flip().toString();
    }

    private static JsonNode readYaml(String text) {
        LoaderOptions loader = new LoaderOptions();
        loader.setMaxAliasesForCollections(20);
        loader.setNestingDepthLimit(MAX_NESTING);
        loader.setCodePointLimit(MAX_SPEC_BYTES);
        loader.setAllowDuplicateKeys(false);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(loader)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // First pass over the token stream: what readTree would get wrong or report without a field path.
        try (YAMLParser parser = factory.createParser(text)) {
            try {
                scan(parser);
            } catch (JsonProcessingException e) {
                throw yamlError(e, parser);
            }
        } catch (IOException e) {
            throw SpecException.of("spec is not valid YAML: %s", oneLine(e.getMessage()));
        }
        ObjectMapper mapper = new ObjectMapper(factory);
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            JsonLocation loc = e.getLocation();
            String where = loc != null && loc.getLineNr() > 0 ? " at line " + loc.getLineNr() + ", column " + loc.getColumnNr() : "";
            if (msg != null && msg.startsWith("Duplicate field")) {
                throw SpecException.of("spec has a duplicate key %s%s; each key may appear once", msg.substring("Duplicate field ".length()),
                        where);
            }
            throw SpecException.of("spec is not valid YAML%s: %s", where, oneLine(msg));
        } catch (IOException | RuntimeException e) {
            throw SpecException.of("spec is not valid YAML: %s", oneLine(e.getMessage()));
        } catch (StackOverflowError e) {
            throw SpecException.of("spec is nested too deeply; at most %s levels allowed", MAX_NESTING);
        }
    }

    /**
     * Walks the tokens once, rejecting what Jackson's tree reader would silently misread: aliases
     * (read as the anchor's name, not its value), YAML's .inf/.nan (a "Malformed numeric value"
     * with no field path) and a second document (ignored). Duplicate keys, nesting and number
     * length limits also surface here, where the parser still knows the field path.
     */
    private static void scan(YAMLParser parser) throws IOException {
        int depth = 0;
        boolean rootDone = false;
        JsonToken token;
        while ((token = parser.nextToken()) != null) {
            SpecException.check(!rootDone, "spec has a second YAML document%s; put the whole spec in one document",
                    at(parser.currentTokenLocation()));
            if (parser.isCurrentAlias()) { // per token: the message is built only for the error
                throw SpecException.of("%s uses the YAML alias *%s%s; anchors and aliases are not supported, write the value out in"
                        + " full", valuePath(parser), parser.getText(), at(parser.currentTokenLocation()));
            }
            switch (token) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    String raw = parser.getText();
                    if (isNonFiniteWord(raw) || !Double.isFinite(parser.getDoubleValue())) {
                        throw SpecException.of("%s must be a finite number, found %s", valuePath(parser), raw);
                    }
                }
                default -> { }
            }
            rootDone = depth == 0;
        }
    }

    private static SpecException yamlError(JsonProcessingException e, YAMLParser parser) {
        String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        JsonLocation loc = e.getLocation() != null && e.getLocation().getLineNr() > 0 ? e.getLocation() : parser.currentLocation();
        String where = at(loc);
        String path = pathOf(parser.getParsingContext());
        String in = path.isEmpty() ? "" : " (in " + abbreviate(path) + ")";
        if (msg.startsWith("Duplicate field ")) {
            String key = path.isEmpty() ? msg.substring("Duplicate field ".length()) : path;
            return new SpecException("spec has a duplicate key " + key + where + "; each key may appear once");
        }
        if (e instanceof StreamConstraintsException && msg.startsWith("Document nesting depth")) {
            return new SpecException("spec is nested more than " + MAX_NESTING + " levels deep" + where + in + "; at most "
                    + MAX_NESTING + " levels allowed");
        }
        if (e instanceof StreamConstraintsException && msg.startsWith("Number value length")) {
            return new SpecException((path.isEmpty() ? "spec" : path) + " has a number longer than " + MAX_NUMBER_LENGTH
                    + " characters" + where + "; at most " + MAX_NUMBER_LENGTH + " allowed");
        }
        if (msg.startsWith("Expected a field name")) {
            return new SpecException("spec is not valid YAML" + where + in + ": keys must be plain names, not lists or mappings");
        }
        return new SpecException("spec is not valid YAML" + where + in + ": " + oneLine(msg));
    }

    private static String at(JsonLocation loc) {
        return loc != null && loc.getLineNr() > 0 ? " at line " + loc.getLineNr() + ", column " + loc.getColumnNr() : "";
    }

    /** The field path of the parser's current value, e.g. {@code grid.std[1]}; "spec" at the root. */
    private static String valuePath(JsonParser parser) {
        JsonStreamContext ctx = parser.getParsingContext();
        if (parser.currentToken() == JsonToken.START_OBJECT || parser.currentToken() == JsonToken.START_ARRAY) {
            ctx = ctx.getParent();
        }
        String path = pathOf(ctx);
        return path.isEmpty() ? "spec" : path;
    }

    private static String pathOf(JsonStreamContext ctx) {
        List<JsonStreamContext> chain = new ArrayList<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            chain.add(0, c);
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c : chain) {
            if (c.inArray()) {
                path.append('[').append(Math.max(c.getCurrentIndex(), 0)).append(']');
            } else if (c.getCurrentName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(c.getCurrentName());
            }
        }
        return path.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "(no detail)";
        }
        String line = s.replaceAll("\\s+in 'reader',", ",").replaceAll(", from `[^`]*`", "").replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** {@code gradients: true | false | {error: normal|mse, outputs: N}}; null when off. */
    private static Gradients gradients(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue() ? Gradients.NORMAL : null;
        }
        SpecException.check(node.isObject(), "gradients must be true, false or a mapping {error: normal|mse, outputs: N, "
                + "jacobian_samples: N}; found %s", describe(node));
        checkKeys(node, "gradients.", GRADIENTS_KEYS);
        Backward.ErrorMode error = Backward.ErrorMode.NORMAL;
        if (node.has("error")) {
            String id = text(node.get("error"), "gradients.error");
            error = Backward.ErrorMode.byId(id);
            SpecException.check(error != null, "gradients.error: unknown error '%s'; allowed: normal, mse", id);
        }
        SpecException.check(!(node.has("outputs") && error != Backward.ErrorMode.MSE), "gradients.outputs applies only to "
                + "error: mse (a readout's units), found error: %s", error.id());
        int outputs = node.has("outputs") ? intIn(node.get("outputs"), "gradients.outputs", 1, Gradients.MAX_OUTPUTS)
                : error == Backward.ErrorMode.MSE ? Gradients.DEFAULT_OUTPUTS : 1;
        int samples = node.has("jacobian_samples") ? intIn(node.get("jacobian_samples"), "gradients.jacobian_samples", 0,
                Gradients.MAX_JACOBIAN_SAMPLES) : Gradients.DEFAULT_JACOBIAN_SAMPLES;
        return new Gradients(error, outputs, samples);
    }

    /**
     * {@code training: false | {task: teacher, kind, outputs, samples, test_samples, optimizer, lr,
     * momentum, beta1, beta2, eps, steps, batch, record}}: one setup per (optimizer, lr), the two
     * axes of the block; empty when off.
     */
    private static List<TrainingSetup> trainings(JsonNode node) {
        if (node.isBoolean() && !node.booleanValue()) {
            return List.of();
        }
        SpecException.check(node.isObject(), "training must be false or a mapping {lr: ..., optimizer: sgd|momentum|adam, "
                + "steps: N, batch: N, ...}; found %s", describe(node));
        checkKeys(node, "training.", TRAINING_KEYS);
        String data = null;
        String label = null;
        if (node.has("task")) {
            JsonNode task = node.get("task");
            if (task.isObject()) {
                checkKeys(task, "training.task.", Set.of("data", "label"));
                SpecException.check(task.has("data") && task.has("label"), "training.task must name both data (a .parquet or "
                        + ".csv file) and label (its target column), found %s", describe(task));
                data = text(task.get("data"), "training.task.data");
                label = text(task.get("label"), "training.task.label");
                SpecException.check(!(data.isBlank() || label.isBlank()), "training.task.data and training.task.label must not "
                        + "be empty");
            } else if (!task.isTextual() || !task.asText().equals("teacher")) {
                throw SpecException.of("training.task must be teacher or a mapping {data: FILE, label: COLUMN}, found %s",
                        describe(task));
            }
        }
        Training.Kind kind = Training.Kind.REGRESSION;
        if (node.has("kind")) {
            String id = text(node.get("kind"), "training.kind");
            kind = Training.Kind.byId(id);
            SpecException.check(kind != null, "training.kind: unknown kind '%s'; allowed: regression, classification", id);
        }
        int outputs = node.has("outputs") ? intIn(node.get("outputs"), "training.outputs",
                kind == Training.Kind.CLASSIFICATION ? 2 : 1, TrainingSetup.MAX_OUTPUTS)
                : data == null ? TrainingSetup.DEFAULT_OUTPUTS : kind == Training.Kind.CLASSIFICATION ? 0 : 1;
        SpecException.check(!(data != null && kind == Training.Kind.REGRESSION && outputs != 1), "training.outputs must be 1 "
                + "for regression on a data set (its label column), found %s", outputs);
        int samples = node.has("samples") ? intIn(node.get("samples"), "training.samples", 1, TrainingSetup.MAX_SAMPLES)
                : TrainingSetup.DEFAULT_SAMPLES;
        int testSamples = node.has("test_samples") ? intIn(node.get("test_samples"), "training.test_samples", 1,
                TrainingSetup.MAX_SAMPLES) : TrainingSetup.DEFAULT_TEST_SAMPLES;
        int steps = node.has("steps") ? intIn(node.get("steps"), "training.steps", 1, TrainingSetup.MAX_STEPS)
                : TrainingSetup.DEFAULT_STEPS;
        int batch = node.has("batch") ? intIn(node.get("batch"), "training.batch", 1, samples)
                : Math.min(TrainingSetup.DEFAULT_BATCH, samples);
        List<Integer> record = List.of();
        if (node.has("record")) {
            List<Integer> listed = axis(node.get("record"), "training.record",
                    (n, p) -> intIn(n, p, 0, steps));
            SpecException.check(listed.size() <= TrainingSetup.MAX_RECORDS, "training.record lists %s steps; at most %s allowed",
                    listed.size(), TrainingSetup.MAX_RECORDS);
            record = TrainingSetup.completeRecord(listed, steps);
        }
        List<Optimizer.Kind> kinds = node.has("optimizer") ? axis(node.get("optimizer"), "training.optimizer", (n, p) -> {
            String id = text(n, p);
            Optimizer.Kind k = Optimizer.Kind.byId(id);
            SpecException.check(k != null, "%s: unknown optimizer '%s'; allowed: sgd, momentum, adam", p, id);
            return k;
        }) : List.of(Optimizer.Kind.SGD);
        SpecException.check(node.has("lr"), "training.lr is missing; it is required (a learning rate > 0, or a list of them)");
        List<Double> lrs = axis(node.get("lr"), "training.lr", (n, p) -> {
            double v = finite(n, p);
            SpecException.check(v > 0, "%s must be a learning rate > 0, found %s", p, num(v));
            return v;
        });
        double momentum = unitInterval(node, "momentum", Optimizer.DEFAULT_MOMENTUM, kinds, Optimizer.Kind.MOMENTUM);
        double beta1 = unitInterval(node, "beta1", Optimizer.DEFAULT_BETA1, kinds, Optimizer.Kind.ADAM);
        double beta2 = unitInterval(node, "beta2", Optimizer.DEFAULT_BETA2, kinds, Optimizer.Kind.ADAM);
        double eps = Optimizer.DEFAULT_EPS;
        if (node.has("eps")) {
            requireOptimizer(kinds, Optimizer.Kind.ADAM, "eps");
            eps = finite(node.get("eps"), "training.eps");
            SpecException.check(eps > 0, "training.eps must be a number > 0, found %s", num(eps));
        }
        List<TrainingSetup> setups = new ArrayList<>();
        for (Optimizer.Kind k : kinds) {
            for (double lr : lrs) {
                setups.add(new TrainingSetup(kind, outputs, samples, testSamples,
                        new Optimizer.Params(k, lr, momentum, beta1, beta2, eps), steps, batch, record, data, label, null));
            }
        }
        return List.copyOf(setups);
    }

    /** training.{key}: a number in [0, 1), given only with an optimizer that uses it. */
    private static double unitInterval(JsonNode node, String key, double dflt, List<Optimizer.Kind> kinds,
            Optimizer.Kind user) {
        if (!node.has(key)) {
            return dflt;
        }
        requireOptimizer(kinds, user, key);
        double v = finite(node.get(key), "training." + key);
        SpecException.check(v >= 0 && v < 1, "training.%s must be in [0, 1), found %s", key, num(v));
        return v;
    }

    private static void requireOptimizer(List<Optimizer.Kind> kinds, Optimizer.Kind user, String key) {
        SpecException.check(kinds.contains(user), "training.%s applies only to optimizer %s, found optimizer: %s", key,
                user.id(), kinds.stream().map(Optimizer.Kind::id).toList());
    }

    private static JsonNode section(JsonNode root, String key, boolean required) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            SpecException.check(!required, "%s is missing; it is required (a mapping)", key);
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        SpecException.check(n.isObject(), "%s must be a mapping, found %s", key, describe(n));
        return n;
    }

    private static void require(JsonNode node, String key, String path, String what) {
        SpecException.check(node.has(key) && !node.get(key).isNull(), "%s is missing; it is required: %s", path, what);
    }

    private static void checkKeys(JsonNode node, String prefix, Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            SpecException.check(allowed.contains(k), "%s%s is not a known key; allowed here: %s", prefix, k,
                    String.join(", ", allowed.stream().sorted().toList()));
        }
    }

    private static <T> List<T> axis(JsonNode node, String path, BiFunction<JsonNode, String, T> element) {
        List<T> values = new ArrayList<>();
        Map<T, Integer> firstIndex = new HashMap<>();
        if (node.isArray()) {
            SpecException.check(!node.isEmpty(), "%s must not be empty; give at least one value", path);
            SpecException.check(node.size() <= MAX_AXIS, "%s has %s values; at most %s allowed", path, node.size(), MAX_AXIS);
            for (int i = 0; i < node.size(); i++) {
                String p = path + "[" + i + "]";
                T v = element.apply(node.get(i), p);
                Integer dup = firstIndex.putIfAbsent(v, i);
                SpecException.check(dup == null, "%s repeats %s[%s] (%s); axis values must be distinct", p, path, dup,
                        flow(node.get(i)));
                values.add(v);
            }
        } else if (node.isNull()) {
            throw SpecException.of("%s must not be empty; give at least one value", path);
        } else {
            values.add(element.apply(node, path));
        }
        return List.copyOf(values);
    }

    /** An axis entry written as a bare name or as a one-key mapping of the name to its parameters. */
    private record Named(String id, JsonNode params) {
        static Named of(JsonNode node, String path, String what, String ids, String example) {
            if (node.isTextual()) {
                return new Named(node.asText(), null);
            }
            if (node.isObject() && node.size() == 1) {
                String id = node.fieldNames().next();
                return new Named(id, node.get(id));
            }
            throw SpecException.of("%s must be %s (%s) or a one-key mapping like %s, found %s", path, what, ids, example,
                    describe(node));
        }
    }

    /** A bound as people write it: 0, 1, 1000 rather than 0.0, 1.0, 1000.0. */
    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The path of element {@code i} of an axis written as a list, or of the scalar. */
    private static String index(JsonNode axis, String path, int i) {
        return axis.isArray() ? path + "[" + i + "]" : path;
    }

    /** The correlation of a normal input's rows, in [0, 1). */
    private static double correlation(JsonNode node, String path) {
        double c = finite(node, path);
        SpecException.check(c >= 0 && c < 1, "%s must be in [0, 1) (the inputs' pairwise correlation c⁰; 0 = independent "
                + "rows), found %s", path, num(c));
        return c == 0.0 ? 0.0 : c;
    }

    /** network.correlation: every (normal) input at each correlation. */
    private static List<InputChoice> correlationAxis(JsonNode network, List<InputChoice> inputs) {
        List<Double> cs = axis(network.get("correlation"), "network.correlation", SpecParser::correlation);
        List<InputChoice> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            InputChoice in = inputs.get(i);
            String at = network.has("input") ? index(network.get("input"), "network.input", i) : "network.input";
            SpecException.check(in.distribution() == InputDistribution.NORMAL, "network.correlation applies to normal inputs "
                    + "only; %s is %s", at, in.label());
            SpecException.check(in.correlation() == 0.0, "network.correlation and %s.normal.correlation both set the inputs' "
                    + "correlation; keep one", at);
            for (double c : cs) {
                out.add(InputChoice.drawn(InputDistribution.NORMAL, c));
            }
        }
        return List.copyOf(out);
    }

    private static InputChoice inputChoice(JsonNode node, String path) {
        Named named = Named.of(node, path, "an input distribution", InputDistribution.NORMAL.id() + ", "
                + InputDistribution.UNIFORM.id() + " or {data: FILE}", "{data: inputs.parquet}");
        InputDistribution d = InputDistribution.byId(named.id());
        SpecException.check(d != null, "%s must be normal, uniform or {data: FILE.parquet|FILE.csv}, found '%s'", path,
                named.id());
        if (d == InputDistribution.NORMAL && named.params() != null && named.params().isObject() && !named.params().isEmpty()) {
            checkKeys(named.params(), path + ".normal.", Set.of("correlation"));
            return InputChoice.drawn(d, correlation(named.params().get("correlation"), path + ".normal.correlation"));
        }
        if (d != InputDistribution.DATA) {
            SpecException.check(
                    !(named.params() != null && !named.params().isNull() && !(named.params().isObject() && named.params().isEmpty())),
                    "%s.%s takes no parameters, found %s", path, named.id(), describe(named.params()));
            return InputChoice.drawn(d);
        }
        SpecException.check(named.params() != null && !named.params().isNull(), "%s: data needs a file, e.g. {data: "
                + "inputs.parquet}", path);
        String file = text(named.params(), path + ".data");
        String lower = file.toLowerCase(java.util.Locale.ROOT);
        SpecException.check(!(file.isBlank() || !(lower.endsWith(".parquet") || lower.endsWith(".csv"))), "%s.data must be a "
                + ".parquet or .csv file, found '%s'", path, file);
        return InputChoice.data(file);
    }

    private static InitChoice initChoice(JsonNode node, String path) {
        Named named = Named.of(node, path, "an initializer name", Initializer.ids(), "{kaiming_normal: {mode: fan_out}}");
        String id = named.id();
        JsonNode params = named.params();
        InitScheme scheme = Initializer.byName(id);
        SpecException.check(scheme != null, "%s must be one of %s (or an alias, docs/schemes.md), found '%s'", path,
                Initializer.ids(), id);
        List<String> names = scheme.paramNames();
        String prefix = path + "." + id;
        Map<String, Object> given = new LinkedHashMap<>();
        boolean gainAuto = false;
        if (params != null && !params.isNull()) {
            if (!params.isObject()) {
                throw SpecException.of("%s%s, found %s", prefix, names.isEmpty() ? " takes no parameters"
                        : " must be a mapping of its parameters (" + String.join(", ", names) + "), e.g. {" + id + ": {"
                                + names.get(0) + ": " + scheme.params().get(0).defaultOrExample() + "}}", describe(params));
            }
            Iterator<Map.Entry<String, JsonNode>> it = params.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = prefix + "." + e.getKey();
                InitParam param = scheme.param(e.getKey());
                SpecException.check(param != null, "%s is not a known key; %s", p,
                        (names.isEmpty() ? id + " takes no parameters" : "allowed here: " + String.join(", ", names)));
                Object value = initParamValue(param, e.getValue(), p);
                if (value == null) {
                    gainAuto = true;
                } else {
                    given.put(param.name(), value);
                }
            }
        }
        InitChoice choice = new InitChoice(scheme, given, gainAuto);
        // the parameters' combinations, checked once here (std and gain as placeholders)
        try {
            Map<String, Object> probe = new LinkedHashMap<>(given);
            if (gainAuto) {
                probe.put("gain", 1.0);
            }
            scheme.bind(probe, scheme.usesStdAxis() ? 1.0 : Double.NaN);
        } catch (IllegalArgumentException e) {
            String example = scheme.params().stream().filter(InitParam::required).findFirst()
                    .map(q -> ", e.g. {" + id + ": {" + q.name() + ": 0.5}}").orElse("");
            throw SpecException.of("%s: %s%s", path, e.getMessage(), example);
        }
        return choice;
    }

    /**
     * A spec value of an initializer parameter, read by its declared kind and checked against its
     * declared range: a Double for numbers (integers too), a String for choices; null for a gain
     * of {@code auto}.
     */
    private static Object initParamValue(InitParam param, JsonNode v, String p) {
        Object value = switch (param.kind()) {
            case CHOICE -> text(v, p);
            case INTEGER -> (double) intIn(v, p, (int) param.min(), (int) param.max());
            case GAIN -> {
                if (v.isTextual() && v.asText().trim().equals("auto")) {
                    yield null;
                }
                SpecException.check(!(v.isTextual() && !DECIMAL.matcher(v.asText().trim()).matches()), "%s must be a number or "
                        + "auto (PyTorch's calculate_gain of the activation), found '%s'", p, v.asText());
                yield finite(v, p);
            }
            case REAL, POSITIVE, CUTOFF -> finite(v, p);
        };
        String problem = value == null ? null : param.problem(value);
        SpecException.check(problem == null, "%s %s", p, problem);
        return value;
    }

    private static ActivationChoice activationChoice(JsonNode node, String path) {
        Named named = Named.of(node, path, "an activation name", Activation.ids(), "{leaky_relu: {slope: 0.2}}");
        String id = named.id();
        JsonNode params = named.params();
        Activation activation = Activation.byName(id);
        SpecException.check(activation != null, "%s must be one of %s (or an alias, docs/schemes.md), found '%s'", path,
                Activation.ids(), id);
        double param = activation.defaultParam();
        if (params != null && !params.isNull()) {
            SpecException.check(activation.hasParam(), "%s.%s takes no parameters, found %s", path, id, describe(params));
            SpecException.check(params.isObject(), "%s.%s must be a mapping like {%s: 0.2}, found %s", path, id,
                    activation.paramName(), describe(params));
            String paramPath = path + "." + id + "." + activation.paramName();
            checkKeys(params, path + "." + id + ".", Set.of(activation.paramName()));
            if (params.has(activation.paramName())) {
                param = finite(params.get(activation.paramName()), paramPath);
                SpecException.check(activation.acceptsParam(param), "%s must be in [%s, %s], found %s", paramPath,
                        num(activation.paramMin()), num(activation.paramMax()), param);
            }
        }
        return new ActivationChoice(activation, param);
    }

    private static double[] pair(JsonNode node, String path) {
        SpecException.check(node.isArray() && node.size() == 2, "%s must be a pair [lo, hi], found %s", path, describe(node));
        double lo = finite(node.get(0), path + "[0]");
        double hi = finite(node.get(1), path + "[1]");
        SpecException.check(lo < hi, "%s must have lo < hi, found [%s, %s]", path, lo, hi);
        return new double[] {lo, hi};
    }

    private static String text(JsonNode node, String path) {
        SpecException.check(node.isTextual(), "%s must be a string, found %s", path, describe(node));
        return node.asText();
    }

    static double finite(JsonNode node, String path) {
        double v;
        if (node.isNumber()) {
            v = node.doubleValue();
        } else if (node.isTextual() && DECIMAL.matcher(node.asText().trim()).matches()) {
            v = Double.parseDouble(node.asText().trim());
        } else if (node.isTextual() && isNonFiniteWord(node.asText())) {
            throw SpecException.of("%s must be a finite number, found %s", path, node.asText());
        } else {
            throw SpecException.of("%s must be a number, found %s", path, describe(node));
        }
        SpecException.check(Double.isFinite(v), "%s must be a finite number, found %s", path, node.asText());
        return v;
    }

    private static boolean isNonFiniteWord(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        return t.equals("nan") || t.equals(".nan") || t.matches("[-+]?\\.?inf(inity)?");
    }

    private static long longValue(JsonNode node, String path) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual() && node.asText().trim().matches("[-+]?\\d{1,18}")) {
            return Long.parseLong(node.asText().trim());
        }
        throw SpecException.of("%s must be an integer in [%s, %s], found %s", path, Long.MIN_VALUE, Long.MAX_VALUE,
                describe(node));
    }

    private static int intIn(JsonNode node, String path, int lo, int hi) {
        long v;
        if (node.isIntegralNumber()) {
            SpecException.check(node.canConvertToLong(), "%s must be an integer in [%s, %s], found %s", path, lo, hi,
                    node.asText());
            v = node.longValue();
        } else if (node.isTextual() && node.asText().trim().matches("[-+]?\\d{1,18}")) {
            v = Long.parseLong(node.asText().trim());
        } else {
            throw SpecException.of("%s must be an integer in [%s, %s], found %s", path, lo, hi, describe(node));
        }
        SpecException.check(v >= lo && v <= hi, "%s must be an integer in [%s, %s], found %s", path, lo, hi, v);
        return (int) v;
    }

    /** How a value looks in an error message. */
    static String describe(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "nothing (null)";
        }
        if (node.isTextual()) {
            return "'" + abbreviate(node.asText()) + "'";
        }
        if (node.isArray()) {
            return "the list " + abbreviate(flow(node));
        }
        if (node.isObject()) {
            return "the mapping " + abbreviate(flow(node));
        }
        if (node.isBoolean()) {
            return "the boolean " + node.asText();
        }
        return abbreviate(node.asText());
    }

    /** A value in YAML flow style, as a user would have written it: {@code {slope: 0.1}}, {@code [8, 16]}. */
    static String flow(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        flow(node, sb);
        return sb.toString();
    }

    private static void flow(JsonNode node, StringBuilder sb) {
        if (sb.length() > 200) {
            return;
        }
        if (node.isArray()) {
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                sb.append(i == 0 ? "" : ", ");
                flow(node.get(i), sb);
            }
            sb.append(']');
        } else if (node.isObject()) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                sb.append(first ? "" : ", ").append(e.getKey()).append(": ");
                flow(e.getValue(), sb);
                first = false;
            }
            sb.append('}');
        } else if (node.isNull()) {
            sb.append('~');
        } else {
            sb.append(node.asText());
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
