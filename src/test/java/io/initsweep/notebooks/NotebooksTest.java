package io.initsweep.notebooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.initsweep.LocalSpark;
import io.initsweep.job.SweepJob;
import io.initsweep.sim.Training;
import io.initsweep.spec.SpecParser;
import io.initsweep.tables.Views;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebooks in {@code notebooks/} keep working. {@code seed-figures.ipynb} is executed by Jupyter
 * ({@code notebooks/execute.sh}: {@code jupyter nbconvert --execute} on the rapaio Java kernel that
 * {@code notebooks/install-kernel.sh} installs) against a sweep written here, and must draw every
 * figure without an error;
 * {@code explore-pyspark.ipynb} cannot run here (no PySpark) and is checked statically. A missing
 * Jupyter or kernel fails the test, naming the install step: it is never skipped.
 */
class NotebooksTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path NOTEBOOKS = ROOT.resolve("notebooks");
    static final String KERNEL = "initsweep-java17";
    static final String INSTALL_JUPYTER = "apt-get install jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient"
            + " python3-ipykernel python3-nbformat";
    static final String INSTALL_KERNEL = "notebooks/install-kernel.sh";
    /**
     * The seed figures' configurations (normal × 2 stds, xavier_normal, kaiming_normal) × 3 activations, two depths; with
     * gradients (and the default 8 Jacobian samples) and two bias stds, so that each activation has a phase diagram (four
     * σ_w² × two σ_b²). A tiny training block (one optimizer and one lr, so the grid keeps its points) gives the
     * training section its rows: 10 SGD steps on 64 rows.
     */
    static final String SPEC = """
            name: notebook
            seed: 3
            network: { width: 32, batch: 256, bias_std: [0, 0.1] }
            grid:
              init: [normal, xavier_normal, kaiming_normal]
              activation: [sigmoid, tanh, relu]
              std: [1.0, 0.01]
              depth: [2, 4]
              seed: [0, 1]
            stats: { bins: 30 }
            gradients: true
            training: { lr: 0.1, samples: 64, test_samples: 32, steps: 10, batch: 16, outputs: 2 }
            """;
    static final int INITS = 3;
    static final int NORMAL_STDS = 2;
    static final int ACTIVATIONS = 3;
    static final int DEPTHS = 2;
    static final int SEEDS = 2;
    static final int BIAS_STDS = 2;
    /** jacobian_samples' default: the rows of the jacobian table per grid point. */
    static final int JACOBIAN_SAMPLES = 8;
    /** The training block's steps: the rows of the training table per grid point are at most its default records. */
    static final int STEPS = 10;
    /** Kills notebooks/execute.sh past this (it retries a kernel that does not answer at start, 30 s each). */
    static final Duration NOTEBOOK_TIMEOUT = Duration.ofMinutes(12);

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void jupyterAndTheKernelAreInstalled() throws IOException, InterruptedException {
        Run version = run(List.of("jupyter", "--version"), Map.of(), Duration.ofMinutes(1), "jupyter-version");
        if (version.exit() != 0 || !version.output().contains("nbconvert")) {
            fail("Jupyter with nbconvert is needed to execute the notebooks (`jupyter --version` gave exit " + version.exit()
                    + "): " + INSTALL_JUPYTER + ", then " + INSTALL_KERNEL + " (.ci/run does both).\n" + version.output());
        }
        Run specs = run(List.of("jupyter", "kernelspec", "list", "--json"), Map.of(), Duration.ofMinutes(1), "kernelspecs");
        if (specs.exit() != 0) {
            fail("`jupyter kernelspec list` failed (exit " + specs.exit() + "); Debian's jupyter-client package provides it: "
                    + INSTALL_JUPYTER + "\n" + specs.output());
        }
        JsonNode spec = JSON.readTree(specs.output().substring(specs.output().indexOf('{'))).path("kernelspecs").path(KERNEL);
        if (spec.isMissingNode()) {
            fail("the Jupyter kernel " + KERNEL + " is not installed: run " + INSTALL_KERNEL + "\n" + specs.output());
        }
        List<String> argv = new ArrayList<>();
        spec.path("spec").path("argv").forEach(a -> argv.add(a.asText()));
        List<String> missing = new ArrayList<>(sparkJvmOptions());
        missing.removeAll(argv);
        if (!missing.isEmpty() || argv.isEmpty() || !Files.isExecutable(Path.of(argv.get(0)))) {
            fail("the kernel " + KERNEL + " does not start a Java with pom.xml's spark.jvm.opens (missing " + missing
                    + ", argv " + argv + "): run " + INSTALL_KERNEL + " again");
        }
        for (String dir : List.of("target/spark-home/jars", "target/dependency", "target/classes")) {
            if (!Files.isDirectory(ROOT.resolve(dir))) {
                fail("the notebook's classpath needs " + dir + ": build first (mvn -B process-test-classes, or any later phase)");
            }
        }
    }

    @Test
    void theSeedFiguresNotebookExecutesAndDrawsEveryFigure() throws IOException, InterruptedException {
        Path sweep = tmp.resolve("sweep");
        SparkSession spark = LocalSpark.start("local[2]");
        long trainingRows;
        try {
            SweepJob.run(spark, SpecParser.parse(SPEC.getBytes(StandardCharsets.UTF_8), "notebook"),
                    new SweepJob.Options(sweep.toString(), false, 0));
            // a diverged run stops recording at its divergence step, so the rows are counted, not derived
            Views.register(spark, List.of(sweep.toString()));
            trainingRows = spark.table(Views.TRAINING).count();
        } finally {
            spark.stop();
        }

        // notebooks/execute.sh: the command docs/report-and-notebooks.md gives, i.e. jupyter nbconvert --to notebook --execute with a
        // timeout of 600 s per cell, retried only when the kernel does not answer at start
        Path executed = tmp.resolve("executed");
        long t0 = System.nanoTime();
        Run nbconvert = run(List.of(NOTEBOOKS.resolve("execute.sh").toString(), NOTEBOOKS.resolve("seed-figures.ipynb").toString(),
                executed.toString(), "--ExecutePreprocessor.kernel_name=" + KERNEL), Map.of("INITSWEEP_OUT", sweep.toString()),
                NOTEBOOK_TIMEOUT, "execute");
        System.out.printf("notebooks/execute.sh seed-figures.ipynb: exit %d after %.1f s%n%s", nbconvert.exit(),
                (System.nanoTime() - t0) / 1e9, nbconvert.output());
        assertThat(nbconvert.exit()).as("notebooks/execute.sh seed-figures.ipynb (jupyter nbconvert --execute):\n%s",
                nbconvert.output()).isZero();

        JsonNode notebook = JSON.readTree(executed.resolve("seed-figures.ipynb").toFile());
        List<String> errors = new ArrayList<>();
        StringBuilder stdout = new StringBuilder();
        for (JsonNode cell : notebook.path("cells")) {
            for (JsonNode output : cell.path("outputs")) {
                String type = output.path("output_type").asText();
                if (type.equals("error")) {
                    errors.add(output.path("ename").asText() + ": " + output.path("evalue").asText());
                }
                if (type.equals("stream")) {
                    String text = text(output.path("text"));
                    stdout.append(text);
                    if (text.contains("Exception")) {
                        errors.add(output.path("name").asText() + ": " + text);
                    }
                }
            }
        }
        assertThat(errors).as("error outputs of the executed notebook").isEmpty();

        int configurations = (NORMAL_STDS + INITS - 1) * ACTIVATIONS * BIAS_STDS;
        int panels = ACTIVATIONS * BIAS_STDS; // the bias std, an axis, makes panels of its own beside the activation
        assertThat(images(notebook, "seedFigures(null)")).as("a seed-figure row per configuration").isEqualTo(configurations);
        assertThat(images(notebook, "rateHeatmaps()")).as("a heatmap pair per init and panel").isEqualTo(INITS * panels);
        assertThat(images(notebook, "actStdProfiles()")).as("an act_std profile per panel").isEqualTo(panels);
        // the gradients section (the spec sets gradients: true): act_std next to grad_sq_mean, and a heatmap, per panel
        assertThat(images(notebook, "gradientProfiles()")).as("an act_std and grad_sq_mean pair per panel").isEqualTo(panels);
        assertThat(images(notebook, "gradientHeatmaps()")).as("a vanishing/exploding heatmap per panel").isEqualTo(panels);
        long layerRows = (long) configurations * SEEDS * (2 + 4); // a row per layer of depths 2 and 4
        assertThat(output(notebook, "gradientProfiles()")).contains(layerRows + " of " + layerRows + " layer rows have gradients");
        // vanishing_exploding.sql's table: a header and a row per configuration and depth, every verdict given
        List<String> table = table(notebook, "query(\"vanishing_exploding.sql\")");
        assertThat(table).hasSize(1 + configurations * DEPTHS);
        assertThat(table.get(0)).contains("log10_first_over_last").contains("chi1_measured").contains("gradients");
        assertThat(table.subList(1, table.size())).allSatisfy(row -> assertThat(row)
                .containsAnyOf("|vanishing", "|flowing", "|exploding"));
        // its Jacobian subsection: a singular-value histogram per panel (every init of a panel at its largest depth) and
        // jacobian_isometry.sql's table, a row per configuration and depth over every sample of both seeds
        long jacobianRows = (long) configurations * DEPTHS * SEEDS * JACOBIAN_SAMPLES;
        assertThat(images(notebook, "jacobianSpectra()")).as("a Jacobian spectrum per panel").isEqualTo(panels);
        assertThat(output(notebook, "jacobianSpectra()")).contains(jacobianRows + " jacobian rows (a row per grid point and sample), "
                + panels + " spectra");
        List<String> isometry = table(notebook, "query(\"jacobian_isometry.sql\")");
        assertThat(isometry).hasSize(1 + configurations * DEPTHS);
        assertThat(cells(isometry.get(0))).contains("sv_sq_mean", "sv_sq_var", "sv_sq_var_per_layer", "condition", "samples");
        int samples = cells(isometry.get(0)).indexOf("samples");
        int svSqMean = cells(isometry.get(0)).indexOf("sv_sq_mean");
        assertThat(isometry.subList(1, isometry.size())).allSatisfy(row -> {
            assertThat(cells(row).get(samples)).isEqualTo(String.valueOf(SEEDS * JACOBIAN_SAMPLES));
            assertThat(Double.parseDouble(cells(row).get(svSqMean))).isPositive();
        });
        // the theory section: measured E[A²] and c under the theory's q and c per configuration (every init here is
        // Gaussian, so each carries the theory), and a phase diagram per activation over σ_w² × σ_b², the bias std not a
        // panel there but the y axis
        assertThat(images(notebook, "theoryProfiles()")).as("a theory profile pair per configuration").isEqualTo(configurations);
        assertThat(output(notebook, "theoryProfiles()")).contains(layerRows + " of " + layerRows + " layer rows carry the theory");
        assertThat(images(notebook, "phaseDiagrams()")).as("a phase diagram per activation").isEqualTo(ACTIVATIONS);
        assertThat(output(notebook, "phaseDiagrams()")).contains(ACTIVATIONS + " phase diagrams");
        // the training section (the spec's training block): loss curves per panel and depth, a trainability heatmap over
        // σ_w² × depth per panel and the symmetry figure per panel at its largest depth, then trainability.sql's table
        int points = configurations * DEPTHS * SEEDS;
        assertThat(trainingRows).as("training rows of the test sweep").isPositive()
                .isLessThanOrEqualTo((long) points * Training.defaultRecord(STEPS).length);
        int lossCurves = panels * DEPTHS;
        assertThat(output(notebook, "trainingLossCurves()")).contains(trainingRows
                + " training rows (a row per grid point and recorded step)").contains(" of " + points + " grid points trained; "
                + lossCurves + " loss curves, " + panels + " trainability heatmaps, " + panels + " symmetry figures");
        assertThat(images(notebook, "trainingLossCurves()")).as("loss curves, trainability and symmetry figures")
                .isEqualTo(lossCurves + panels + panels);
        List<String> trainability = table(notebook, "query(\"trainability.sql\")");
        assertThat(trainability).as("trainability.sql: a row per configuration and depth").hasSize(1 + configurations * DEPTHS);
        assertThat(cells(trainability.get(0))).contains("optimizer", "lr", "trained_share", "median_test_vs_baseline",
                "diverged", "six_xi_c", "seeds");
        int seedsColumn = cells(trainability.get(0)).indexOf("seeds");
        int optimizer = cells(trainability.get(0)).indexOf("optimizer");
        assertThat(trainability.subList(1, trainability.size())).allSatisfy(row -> {
            assertThat(cells(row).get(seedsColumn)).isEqualTo(String.valueOf(SEEDS));
            assertThat(cells(row).get(optimizer)).isEqualTo("sgd");
        });
        // the last query cell ran every file of jobs/sql against the sweep
        try (Stream<Path> files = Files.list(ROOT.resolve("jobs/sql"))) {
            assertThat(stdout).contains(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).toList());
        }
        assertThat(stdout).contains(sweep + ": " + points + " grid points");
    }

    @Test
    void thePySparkNotebookValidatesCompilesAndNamesOnlyExistingSqlFiles() throws IOException, InterruptedException {
        Path notebook = NOTEBOOKS.resolve("explore-pyspark.ipynb");
        String python = jupyterPython();

        Run validate = run(List.of(python, "-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], 4))",
                notebook.toString()), Map.of(), Duration.ofMinutes(1), "nbformat");
        assertThat(validate.exit()).as("nbformat.validate:\n%s", validate.output()).isZero();

        Path scripts = tmp.resolve("scripts");
        Run convert = run(List.of("jupyter", "nbconvert", "--to", "script", "--output-dir", scripts.toString(),
                notebook.toString()), Map.of(), Duration.ofMinutes(2), "nbconvert-script");
        assertThat(convert.exit()).as("nbconvert --to script:\n%s", convert.output()).isZero();
        Path script = scripts.resolve("explore-pyspark.py");
        Run compile = run(List.of(python, "-m", "py_compile", script.toString()), Map.of(), Duration.ofMinutes(1), "py_compile");
        assertThat(compile.exit()).as("python3 -m py_compile:\n%s", compile.output()).isZero();

        JsonNode cells = JSON.readTree(notebook.toFile()).path("cells");
        assertThat(text(cells.get(0).path("source"))).as("the first cell says the notebook is not executed here")
                .contains("not executed in this project's CI").contains("checked statically");
        Set<String> named = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\"([\\w./-]+\\.sql)\"").matcher(Files.readString(script));
        while (m.find()) {
            named.add(m.group(1));
        }
        assertThat(named).as("SQL files the notebook runs").hasSizeGreaterThanOrEqualTo(5);
        for (String file : named) {
            Path resolved = file.contains("/") ? ROOT.resolve(file) : ROOT.resolve("jobs/sql").resolve(file);
            assertThat(resolved).as("%s, named by explore-pyspark.ipynb", file).isRegularFile();
        }
    }

    @Test
    void notebooksAreCommittedWithoutOutputs() throws IOException {
        for (String name : List.of("seed-figures.ipynb", "explore-pyspark.ipynb")) {
            for (JsonNode cell : JSON.readTree(NOTEBOOKS.resolve(name).toFile()).path("cells")) {
                if (cell.path("cell_type").asText().equals("code")) {
                    assertThat(cell.path("outputs")).as("%s: outputs of %s", name, text(cell.path("source"))).isEmpty();
                    assertThat(cell.path("execution_count").isNull()).as("%s: execution_count", name).isTrue();
                }
            }
        }
    }

    /** The image/png outputs of the one code cell whose source contains {@code marker}. */
    private static int images(JsonNode notebook, String marker) {
        List<JsonNode> cells = new ArrayList<>();
        notebook.path("cells").forEach(c -> {
            if (c.path("cell_type").asText().equals("code") && text(c.path("source")).contains(marker)) {
                cells.add(c);
            }
        });
        assertThat(cells).as("cells containing %s", marker).hasSize(1);
        int n = 0;
        for (JsonNode output : cells.get(0).path("outputs")) {
            if (output.path("data").has("image/png") && !output.path("data").path("image/png").asText().isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** The text the one code cell whose source contains {@code marker} printed (its stream outputs). */
    private static String output(JsonNode notebook, String marker) {
        List<JsonNode> cells = new ArrayList<>();
        notebook.path("cells").forEach(c -> {
            if (c.path("cell_type").asText().equals("code") && text(c.path("source")).contains(marker)) {
                cells.add(c);
            }
        });
        assertThat(cells).as("cells containing %s", marker).hasSize(1);
        StringBuilder b = new StringBuilder();
        for (JsonNode output : cells.get(0).path("outputs")) {
            if (output.path("output_type").asText().equals("stream")) {
                b.append(text(output.path("text")));
            }
        }
        return b.toString();
    }

    /** The lines of the table Dataset.show printed in the one code cell whose source contains {@code marker}: header first. */
    private static List<String> table(JsonNode notebook, String marker) {
        return output(notebook, marker).lines().filter(l -> l.startsWith("|")).toList();
    }

    /** The trimmed cells of a line of Dataset.show's table. */
    private static List<String> cells(String line) {
        return Arrays.stream(line.substring(1, line.length() - 1).split("\\|", -1)).map(String::trim).toList();
    }

    /** A notebook's multiline string: one string or a list of lines. */
    private static String text(JsonNode node) {
        if (node.isArray()) {
            StringBuilder b = new StringBuilder();
            node.forEach(l -> b.append(l.asText()));
            return b.toString();
        }
        return node.asText();
    }

    /** pom.xml's spark.jvm.opens: the JVM options the kernel must start Java with. */
    private static List<String> sparkJvmOptions() throws IOException {
        Matcher m = Pattern.compile("<spark.jvm.opens>(.*?)</spark.jvm.opens>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(m.find()).as("pom.xml has a spark.jvm.opens property").isTrue();
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }

    /** The Python that runs Jupyter (its nbformat), from the jupyter command's #! line; else python3. */
    private static String jupyterPython() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path jupyter = Path.of(dir, "jupyter");
            if (Files.isRegularFile(jupyter)) {
                String first = Files.readAllLines(jupyter, StandardCharsets.ISO_8859_1).stream().findFirst().orElse("");
                if (first.startsWith("#!") && first.contains("python") && !first.contains(" ")) {
                    return first.substring(2).trim();
                }
                break;
            }
        }
        return "python3";
    }

    record Run(int exit, String output) {}

    /** Runs a command from the repository root, stdout and stderr together in a log file; a timeout kills it. */
    private static Run run(List<String> command, Map<String, String> env, Duration timeout, String name)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(tmp, name, ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Run(127, command.get(0) + " could not be started: " + e.getMessage());
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            return new Run(-1, "timed out after " + timeout + ": " + command + "\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log));
    }
}
