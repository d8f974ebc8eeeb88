package io.initsweep.bench;

import io.initsweep.sim.ChainParams;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Chain parameters for the benchmarks, built the way {@code initsweep run} builds them: a spec
 * text parsed by {@link SpecParser} and expanded by {@link Grid#chains}, so histogram ranges,
 * bins, the log histogram and τ are the CLI's defaults rather than numbers repeated here.
 */
final class BenchChains {
    /** The numeric precisions the benchmarks know. Only f64 exists until the spec gains {@code dtype}. */
    static final List<String> DTYPES = List.of("f64", "f32");

    private BenchChains() {}

    /**
     * One chain: width × width layers, {@code batch} rows, {@code depth} layers.
     *
     * @param init an init id (normal, xavier_normal, kaiming_normal, ...)
     * @param std the std axis value (used by fixed-scale inits only)
     * @param activation an activation id (any of {@code Activation.ids()})
     */
    static ChainParams chain(String init, double std, String activation, int width, int batch, int depth, long seed) {
        return chain("f64", init, std, activation, width, batch, depth, seed);
    }

    /** The same in a dtype: "f64" or "f32". */
    static ChainParams chain(String dtype, String init, double std, String activation, int width, int batch, int depth,
            long seed) {
        requireAvailable(dtype);
        String yaml = "name: bench-fixture\n"
                + "seed: 42\n"
                + "network: { width: " + width + ", batch: " + batch + ", input: normal, dtype: "
                + (dtype.equals("f32") ? "float32" : "float64") + " }\n"
                + "grid:\n"
                + "  init: [" + init + "]\n"
                + "  activation: [" + activation + "]\n"
                + "  std: [" + std + "]\n"
                + "  depth: [" + depth + "]\n"
                + "  seed: [" + seed + "]\n"
                + "stats: { bins: 30 }\n";
        SweepSpec spec = SpecParser.parse(yaml.getBytes(StandardCharsets.UTF_8), "bench-fixture");
        List<Chain> chains = Grid.chains(spec);
        if (chains.size() != 1) {
            throw new IllegalStateException("expected one chain, got " + chains.size());
        }
        return chains.get(0).params();
    }

    /** The init whose scale keeps the activation's layers spread (what a user would sweep around). */
    static String naturalInit(String activation) {
        return switch (activation) {
            case "relu", "leaky_relu", "elu", "gelu", "gelu_tanh", "silu", "mish" -> "kaiming_normal";
            default -> "xavier_normal";
        };
    }

    /** Throws unless {@code dtype} is one the kernel has; the message is what the harness prints. */
    static void requireAvailable(String dtype) {
        switch (dtype) {
            case "f64", "f32" -> { }
            default -> throw new IllegalArgumentException("unknown dtype '" + dtype + "'; known: " + DTYPES);
        }
    }

    /** The forks and drivers must run BLAS single-threaded; say so loudly otherwise. */
    static void requireSingleThreadedBlas() {
        String v = System.getenv("OPENBLAS_NUM_THREADS");
        if (!"1".equals(v) && !Boolean.getBoolean("initsweep.bench.anyBlasThreads")) {
            throw new IllegalStateException("OPENBLAS_NUM_THREADS is " + (v == null ? "unset" : "'" + v + "'")
                    + "; the benchmarks measure one core: export OPENBLAS_NUM_THREADS=1 (bench/run.sh does)"
                    + " or pass -Dinitsweep.bench.anyBlasThreads=true");
        }
    }
}
