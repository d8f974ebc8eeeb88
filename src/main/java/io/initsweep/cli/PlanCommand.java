package io.initsweep.cli;

import io.initsweep.job.MemoryBudget;
import io.initsweep.job.Planner;
import io.initsweep.job.SweepJob;
import io.initsweep.sim.ChainParams;
import io.initsweep.sim.ForwardPass;
import io.initsweep.sim.Gemm;
import io.initsweep.sim.Kernels;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SpecParser;
import io.initsweep.job.DataInputs;
import io.initsweep.sim.InputDistribution;
import org.apache.hadoop.conf.Configuration;
import io.initsweep.spec.SweepSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code initsweep plan SPEC}: grid size, chains, cost and its estimate on this machine; no Spark. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Dry run: grid size, chains, cost and an estimated kernel time measured on this machine. No Spark.")
final class PlanCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Parameters(paramLabel = "SPEC", description = "YAML job spec")
    Path specFile;

    @Option(names = "--cores", paramLabel = "N", description = "Cores to plan for (default: this machine's, ${DEFAULT-VALUE})")
    int cores = Runtime.getRuntime().availableProcessors();

    @Option(names = "--executor-memory", paramLabel = "SIZE",
            description = "Heap of each executor, e.g. 4g (default: this JVM's, as in local mode)")
    String executorMemory;

    @Option(names = "--executor-cores", paramLabel = "N",
            description = "Concurrent tasks per executor (default: --cores, as in local mode)")
    Integer executorCores;

    @Option(names = "--no-calibrate", description = "Skip the short timing run that estimates kernel time")
    boolean noCalibrate;

    @Option(names = "--wave-size", paramLabel = "N", defaultValue = "" + SweepJob.DEFAULT_WAVE_SIZE,
            description = "Grid points per wave, as for run (default ${DEFAULT-VALUE})")
    long waveSize;

    @Override
    public Integer call() {
        if (cores < 1) {
            throw new CommandLine.ParameterException(command.commandLine(), "--cores must be >= 1, found " + cores);
        }
        SweepSpec spec = DataInputs.load(SpecParser.parseFile(specFile), new Configuration()).spec();
        List<Chain> chains = Grid.chains(spec);
        long points = chains.stream().mapToLong(c -> c.points().size()).sum();
        long layerRows = chains.stream().flatMap(c -> c.points().stream()).mapToLong(p -> p.depth()).sum();
        long simulatedLayers = chains.stream().mapToLong(c -> c.params().maxDepth()).sum();
        double cost = chains.stream().mapToDouble(Chain::cost).sum();
        if (waveSize < 1) {
            throw new CommandLine.ParameterException(command.commandLine(), "--wave-size must be >= 1, found " + waveSize);
        }
        List<List<Chain>> waves = Planner.waves(chains, waveSize);
        double heaviestWave = waves.stream().mapToDouble(Planner::cost).max().orElse(0);
        long largestWave = waves.stream().mapToLong(wv -> wv.stream().mapToLong(c -> c.points().size()).sum()).max().orElse(0);
        int partitions = Planner.defaultPartitions(chains.size(), cores);
        List<List<Chain>> bins = Planner.balance(chains, partitions);
        double heaviest = bins.stream().mapToDouble(Planner::cost).max().orElse(0);
        Chain largest = chains.stream().max(Comparator.comparingLong(MemoryBudget::chainBytes))
                .orElseThrow();

        long heap;
        try {
            heap = executorMemory != null ? MemoryBudget.parseSize(executorMemory) : Runtime.getRuntime().maxMemory();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command.commandLine(), "--executor-memory " + e.getMessage());
        }
        int tasks = executorCores != null ? executorCores : cores;
        if (tasks < 1) {
            throw new CommandLine.ParameterException(command.commandLine(), "--executor-cores must be >= 1, found " + tasks);
        }
        long perTask = MemoryBudget.perTask(heap, tasks, MemoryBudget.DEFAULT_MEMORY_FRACTION);
        MemoryBudget.check(chains, perTask, "executor heap " + MemoryBudget.mib(heap) + " shared by " + tasks + " tasks");

        PrintWriter w = command.commandLine().getOut();
        w.printf("sweep:            %s (spec sha256 %s)%n", spec.name(), spec.sha256().substring(0, 12));
        w.printf("grid points:      %d (runs rows)%n", points);
        w.printf("chains:           %d (points that differ only in depth share one forward pass)%n", chains.size());
        w.printf("layers:           %d simulated, %d layers rows%n", simulatedLayers, layerRows);
        w.printf("products:         %d matrix products (chains that differ only in their weights' scale share one"
                + " unit network's)%n", Planner.products(chains));
        long backward = Planner.backwardProducts(chains);
        if (backward > 0) {
            w.printf("backward:         %d matrix products (gradients: 2·depth − 1 per grid point, depths not shared)%n",
                    backward);
        }
        long training = Planner.trainingProducts(chains);
        if (training > 0) {
            w.printf("training:         %d matrix products (steps × (3·depth + 2) per grid point on a minibatch, plus"
                    + " the evaluations at each recorded step)%n", training);
        }
        w.printf("cost:             %.4g multiply-adds (%.4g GFLOP)%n", cost, 2 * cost / 1e9);
        w.printf("memory per task:  %.1f MiB for the largest chain (batch %d × width %d); a task has %.1f MiB%n",
                MemoryBudget.chainBytes(largest) / 1048576.0, largest.params().batch(), largest.params().width(),
                perTask / 1048576.0);
        w.printf("partitions:       %d on %d cores; heaviest partition %.1f%% of the total cost%n", bins.size(), cores,
                cost == 0 ? 0 : 100 * heaviest / cost);
        w.printf("waves:            %d of at most %d grid points (largest %d, %.1f%% of the cost); a driver lost"
                + " mid-sweep loses at most one wave, --resume computes the rest%n", waves.size(), waveSize, largestWave,
                cost == 0 ? 0 : 100 * heaviestWave / cost);
        if (!noCalibrate) {
            double rate = calibrate(largest.params());
            double coreSeconds = cost / rate;
            w.printf("kernel estimate:  %.3g core-seconds at %.3g multiply-adds/s measured here (BLAS %s, kernels %s);"
                    + " about %.3g s on %d cores plus Spark start-up; a lost wave is at most %.3g core-seconds%n",
                    coreSeconds, rate, Gemm.implementation().replaceFirst(".*\\.", ""), Kernels.route(),
                    Math.max(coreSeconds / cores, heaviest / rate), cores, heaviestWave / rate);
        }
        w.flush();
        return 0;
    }

    /**
     * Multiply-adds per second of a short run of {@code p} (3 layers, batch ≤ 1000, a drawn input of the
     * same shape), best of five after warm-up.
     */
    private static double calibrate(ChainParams p) {
        ChainParams probe = new ChainParams(p.masterSeed(), p.seed(), p.width(), Math.min(p.batch(), 1000),
                InputDistribution.NORMAL, p.init(), p.activation(), p.activationParam(), 3, p.stats(), p.inputWidth(),
                p.biasStd(), p.dtype(), null);
        ForwardPass pass = new ForwardPass();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            pass.run(probe);
            long t = System.nanoTime() - t0;
            if (i >= 3) {
                best = Math.min(best, t);
            }
        }
        return probe.cost() / (best / 1e9);
    }
}
