package io.initsweep.bench;

import io.initsweep.sim.ChainParams;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.GridPoint;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a spec's grid points as JSON lines, expanded by the same {@link Grid#chains} that
 * {@code initsweep run} uses, so bench/seed_loop.py computes exactly the points the sweep did
 * (the effective weight std and histogram range included).
 *
 * <pre>java -cp &lt;test classpath&gt; io.initsweep.bench.GridPointsJson jobs/bench.yaml OUT.jsonl</pre>
 */
public final class GridPointsJson {
    private GridPointsJson() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: GridPointsJson SPEC OUT.jsonl");
            System.exit(2);
        }
        SweepSpec spec = SpecParser.parseFile(Path.of(args[0]));
        StringBuilder sb = new StringBuilder();
        long points = 0;
        long chains = 0;
        for (Chain c : Grid.chains(spec)) {
            chains++;
            ChainParams p = c.params();
            for (GridPoint g : c.points()) {
                points++;
                sb.append(String.format(Locale.ROOT,
                        "{\"run_id\": \"%s\", \"chain_id\": \"%s\", \"init\": \"%s\", \"init_std\": %s, \"init_value\": %s,"
                                + " \"weight_std\": %s, \"activation\": \"%s\", \"activation_param\": %s, \"depth\": %d,"
                                + " \"seed\": %d, \"width\": %d, \"batch\": %d, \"hist_lo\": %s, \"hist_hi\": %s,"
                                + " \"bins\": %d}%n",
                        g.runId(), g.chainId(), p.init().id(), num(p.initStd()), num(p.initValue()), num(g.weightStd()),
                        p.activation().id(), num(p.activationParam()), g.depth(), g.seed(), g.width(), g.batch(),
                        num(p.stats().histogram().lo()), num(p.stats().histogram().hi()), p.stats().histogram().bins()));
            }
        }
        Files.writeString(Path.of(args[1]), sb.toString(), StandardCharsets.UTF_8);
        System.out.printf("%s: %d grid points in %d chains -> %s%n", spec.name(), points, chains, args[1]);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }
}
