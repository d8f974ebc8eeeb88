package io.initsweep.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.initsweep.spec.SweepSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Properties;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The sweep's provenance, written as {@code manifest.json} next to the tables: the spec verbatim
 * and its hash, the code's git revision, the platform (java.lang.Math and BLAS results may differ
 * across them), the engine, times and counts. The {@code sweeps} view reads it back.
 */
public final class Manifest {
    /** Bumped when a field changes meaning. */
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Manifest() {}

    /** What a finished run measured. */
    public record Facts(
            String output,
            String sparkVersion,
            String master,
            String appId,
            int defaultParallelism,
            Collection<String> executorBlas,
            Collection<String> executorKernels,
            Instant started,
            Instant finished,
            double kernelSeconds,
            long gridPoints,
            long chains,
            int partitions,
            long runsRows,
            long layersRows,
            long waveSize,
            java.util.List<Waves.Done> waves) {}

    public static ObjectNode build(SweepSpec spec, Facts f) {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        m.put("sweep", spec.name());
        m.put("output", f.output());
        m.put("master_seed", spec.masterSeed());
        ObjectNode s = m.putObject("spec");
        s.put("sha256", spec.sha256());
        s.put("text", spec.text());
        var files = s.putArray("data_inputs");
        for (var in : spec.inputs()) {
            if (in.isData()) {
                ObjectNode d = files.addObject();
                d.put("path", in.path());
                d.put("sha256", in.sha256());
                d.put("rows", in.rows());
                d.put("columns", in.cols());
            }
        }
        spec.stats().trainings().stream().filter(t -> t.hasData()).map(t -> t.data() + "|" + t.labelColumn() + "|"
                + t.dataSha256()).distinct().forEach(k -> {
                    String[] parts = k.split("\\|", -1);
                    ObjectNode d = files.addObject();
                    d.put("path", parts[0]);
                    d.put("sha256", parts[2]);
                    d.put("training_label", parts[1]);
                });
        Properties git = gitProperties();
        ObjectNode g = m.putObject("code");
        g.put("version", git.getProperty("git.build.version", "unknown"));
        g.put("git_commit", git.getProperty("git.commit.id.full", "unknown"));
        g.put("git_dirty", Boolean.parseBoolean(git.getProperty("git.dirty", "true")));
        ObjectNode p = m.putObject("platform");
        p.put("java_version", System.getProperty("java.version"));
        p.put("java_vendor", System.getProperty("java.vendor"));
        p.put("os_arch", System.getProperty("os.arch"));
        p.put("os_name", System.getProperty("os.name"));
        p.put("os_version", System.getProperty("os.version"));
        ObjectNode e = m.putObject("engine");
        e.put("spark_version", f.sparkVersion());
        e.put("master", f.master());
        e.put("app_id", f.appId());
        e.put("default_parallelism", f.defaultParallelism());
        strings(e.putArray("blas"), f.executorBlas());
        strings(e.putArray("kernel_route"), f.executorKernels());
        ObjectNode t = m.putObject("times");
        t.put("started", f.started().toString());
        t.put("finished", f.finished().toString());
        t.put("wall_seconds", (f.finished().toEpochMilli() - f.started().toEpochMilli()) / 1000.0);
        t.put("kernel_seconds", f.kernelSeconds());
        ObjectNode c = m.putObject("counts");
        c.put("grid_points", f.gridPoints());
        c.put("chains", f.chains());
        c.put("partitions", f.partitions());
        c.put("runs_rows", f.runsRows());
        c.put("layers_rows", f.layersRows());
        long jacobianRows = f.waves().stream().mapToLong(Waves.Done::jacobianRows).sum();
        if (jacobianRows > 0) {
            c.put("jacobian_rows", jacobianRows); // sweeps with gradients only
        }
        long trainingRows = f.waves().stream().mapToLong(Waves.Done::trainingRows).sum();
        if (trainingRows > 0) {
            c.put("training_rows", trainingRows); // sweeps with training only
        }
        // the waves, grouped by the Spark application (attempt) that computed them
        ObjectNode w = m.putObject("waves");
        w.put("count", f.waves().size());
        w.put("size", f.waveSize());
        ArrayNode attempts = w.putArray("attempts");
        java.util.Map<String, java.util.List<Waves.Done>> byApp = new java.util.LinkedHashMap<>();
        for (Waves.Done d : f.waves()) {
            byApp.computeIfAbsent(d.appId(), k -> new java.util.ArrayList<>()).add(d);
        }
        byApp.forEach((app, done) -> {
            ObjectNode a = attempts.addObject();
            a.put("app_id", app);
            a.put("started", done.get(0).started());
            a.put("finished", done.get(done.size() - 1).finished());
            a.put("waves", done.size());
            a.put("grid_points", done.stream().mapToLong(Waves.Done::points).sum());
            a.put("kernel_seconds", done.stream().mapToDouble(Waves.Done::kernelSeconds).sum());
        });
        return m;
    }

    /** Writes the manifest whole or not at all (a temporary name, then a rename). */
    public static void write(FileSystem fs, Path file, ObjectNode manifest) {
        try {
            Waves.writeAtomically(fs, file, (JSON.writeValueAsString(manifest) + "\n").getBytes(StandardCharsets.UTF_8),
                    Faults.MANIFEST_TEMP_WRITTEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts the manifest in place in one write, replacing any manifest there: on an object store an
     * object appears whole when its upload completes, so this is the commit of a sweep written in place.
     */
    public static void put(FileSystem fs, Path file, ObjectNode manifest) {
        try (OutputStream out = fs.create(file, true)) {
            out.write((JSON.writeValueAsString(manifest) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The build's git facts (written by the git-commit-id plugin at build time). */
    public static Properties gitProperties() {
        Properties p = new Properties();
        try (InputStream in = Manifest.class.getResourceAsStream("/initsweep-git.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static void strings(ArrayNode a, Collection<String> values) {
        values.stream().sorted().forEach(a::add);
    }
}
