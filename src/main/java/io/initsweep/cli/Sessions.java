package io.initsweep.cli;

import io.initsweep.blas.Blas;
import io.initsweep.job.LocalFiles;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * The SparkSession a command runs in. Under spark-submit (spark.master set) or inside an
 * application that already has a session, that one is used; otherwise a local[*] session is
 * started. Only a session this class started is stopped.
 */
final class Sessions implements AutoCloseable {
    final SparkSession spark;
    private final boolean created;

    private Sessions(SparkSession spark, boolean created) {
        this.spark = spark;
        this.created = created;
    }

    /**
     * Whether {@link #open} with this {@code --master} will start a local-mode session, whose
     * executor is this JVM. False inside an application that already has a session.
     */
    static boolean startsLocal(String master) {
        boolean existing = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
        String effective = effectiveMaster(master, existing, new SparkConf());
        return !existing && effective != null && effective.startsWith("local");
    }

    private static String effectiveMaster(String master, boolean existing, SparkConf fromSubmit) {
        return master != null ? master : fromSubmit.get("spark.master", existing ? null : "local[*]");
    }

    static Sessions open(String appName, String master, List<String> confs, CommandLine cli) {
        return open(appName, master, confs, cli, List.of());
    }

    /**
     * Total size at or below which the sweeps a command reads are queried without code generation
     * (see {@link #open(String, String, List, CommandLine, List)}).
     */
    static final long TINY_TABLES_BYTES = 16L << 20;

    /** The SQL settings that turn code generation off: whole-stage, and per expression. */
    static final List<String> NO_CODEGEN = List.of("spark.sql.codegen.wholeStage=false",
            "spark.sql.codegen.factoryMode=NO_CODEGEN");

    /**
     * As {@link #open(String, String, List, CommandLine)}, for a command that reads the sweeps in
     * {@code reads}: a session started here queries them without code generation when they are
     * tiny (at most {@link #TINY_TABLES_BYTES} in all), where compiling each query's code costs
     * more than it saves. Settings given with {@code --conf} or spark-submit win.
     */
    static Sessions open(String appName, String master, List<String> confs, CommandLine cli, List<String> reads) {
        boolean existing = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        SparkConf fromSubmit = new SparkConf();
        String effectiveMaster = effectiveMaster(master, existing, fromSubmit);
        if (master != null || (!existing && !fromSubmit.contains("spark.master"))) {
            b.master(effectiveMaster);
        }
        if (effectiveMaster != null && effectiveMaster.startsWith("local") && !fromSubmit.contains("spark.driver.host")) {
            b.config("spark.driver.host", "127.0.0.1");
        }
        if (!existing) {
            for (String kv : tinyTableSettings(reads, fromSubmit)) {
                b.config(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1)); // --conf, applied below, wins
            }
        }
        for (String kv : confs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(cli, "--conf '" + kv + "' must be key=value, e.g. spark.executor.memory=4g");
            }
            b.config(kv.substring(0, eq), kv.substring(eq + 1));
        }
        blasForExecutors(b, confs, fromSubmit, cli);
        if (!fromSubmit.contains(LocalFiles.CONF) && confs.stream().noneMatch(kv -> kv.startsWith(LocalFiles.CONF + "="))) {
            b.config(LocalFiles.CONF, LocalFiles.forMaster(effectiveMaster)); // file: paths without a chmod process per file
        }
        return new Sessions(b.getOrCreate(), !existing);
    }

    /**
     * The settings (key=value) a new session gets for reading {@code reads}: {@link #NO_CODEGEN}
     * when they hold at most {@link #TINY_TABLES_BYTES} in all, less any that spark-submit sets.
     */
    static List<String> tinyTableSettings(List<String> reads, SparkConf fromSubmit) {
        if (reads.isEmpty() || totalBytes(reads) > TINY_TABLES_BYTES) {
            return List.of();
        }
        return NO_CODEGEN.stream().filter(kv -> !fromSubmit.contains(kv.substring(0, kv.indexOf('=')))).toList();
    }

    /** The bytes under {@code dirs} (Hadoop paths); more than any bound when one cannot be measured. */
    static long totalBytes(List<String> dirs) {
        long total = 0;
        for (String d : dirs) {
            try {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(d);
                total += p.getFileSystem(new org.apache.hadoop.conf.Configuration()).getContentSummary(p).getLength();
            } catch (java.io.IOException | RuntimeException e) {
                return Long.MAX_VALUE; // a glob, a missing or remote directory: the command says what is wrong
            }
        }
        return total;
    }

    /**
     * Checks the BLAS choice ({@link Blas#PROPERTY} or {@link Blas#ENV}) and, when the driver names
     * one, hands it to the executors ({@code spark.executorEnv.INITSWEEP_BLAS}) unless the
     * configuration already does.
     */
    private static void blasForExecutors(SparkSession.Builder b, List<String> confs, SparkConf fromSubmit, CommandLine cli) {
        Blas.Choice choice;
        try {
            choice = Blas.choice();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        String key = "spark.executorEnv." + Blas.ENV;
        boolean named = System.getProperty(Blas.PROPERTY) != null || System.getenv(Blas.ENV) != null;
        if (named && !fromSubmit.contains(key) && confs.stream().noneMatch(kv -> kv.startsWith(key + "="))) {
            b.config(key, choice.label());
        }
    }

    @Override
    public void close() {
        if (created) {
            spark.stop();
        }
    }
}
