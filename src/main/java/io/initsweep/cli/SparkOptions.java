package io.initsweep.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The Spark options every command that starts a session takes. */
final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*], or spark-submit's)")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark configuration, repeatable")
    List<String> confs = new ArrayList<>();
}
