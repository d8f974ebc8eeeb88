package io.initsweep.cli;

import io.initsweep.spec.Grid;
import io.initsweep.spec.SpecParser;
import io.initsweep.job.DataInputs;
import org.apache.hadoop.conf.Configuration;
import io.initsweep.spec.SweepSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code initsweep validate SPEC...}: spec errors only, no Spark. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check job specs; no Spark, nothing written.")
final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Parameters(paramLabel = "SPEC", arity = "1..*", description = "YAML job specs")
    List<Path> specs;

    @Override
    public Integer call() {
        for (Path p : specs) {
            SweepSpec spec = DataInputs.load(SpecParser.parseFile(p), new Configuration()).spec();
            command.commandLine().getOut().printf("%s: ok (sweep %s, %d grid points, %d chains, sha256 %s)%n", p,
                    spec.name(), Grid.pointCount(spec), Grid.chains(spec).size(), spec.sha256().substring(0, 12));
        }
        command.commandLine().getOut().flush();
        return 0;
    }
}
