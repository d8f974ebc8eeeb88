package io.initsweep;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.initsweep.spec.SpecParser;
import java.io.Serializable;

/**
 * The rooms of docs/design.md §2 and their one-way arrows (sim → blas; spec → sim; job → spec, sim, blas, tables;
 * report → tables, spec; explore → report, tables; cli → everything), checked on the production classes only. Rules on
 * "ours" use {@code io.initsweep..} minus the allowed packages, so a package added later is
 * covered without editing this file. Blind spot: javac inlines compile-time constants ({@code Views.RUNS}), so a use of
 * one leaves no dependency in the bytecode to see.
 */
@AnalyzeClasses(packages = "io.initsweep", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String OURS = "io.initsweep..";
    private static final String SIM = "io.initsweep.sim..";
    private static final String BLAS = "io.initsweep.blas..";
    private static final String SPEC = "io.initsweep.spec..";
    private static final String THEORY = "io.initsweep.theory..";
    private static final String JOB = "io.initsweep.job..";
    private static final String TABLES = "io.initsweep.tables..";
    private static final String REPORT = "io.initsweep.report..";
    private static final String EXPLORE = "io.initsweep.explore..";
    private static final String CLI = "io.initsweep.cli..";

    /** The engine and its runtime: Spark (and its shaded copies), Hadoop, Parquet, Scala. */
    private static final String[] ENGINE = {
        "org.apache.spark..", "org.sparkproject..", "org.apache.hadoop..", "org.apache.parquet..", "scala.."
    };

    @ArchTest
    static final ArchRule simAndSpecDoNotTouchTheEngine = noClasses()
            .that().resideInAnyPackage(SIM, SPEC, THEORY)
            .should().dependOnClassesThat().resideInAnyPackage(ENGINE)
            .because("sim and spec are plain Java; only job adapts them to Spark (docs/design.md §2)");

    /**
     * java.io is allowed only for Serializable (records travel to executors); everything else
     * there is streams, readers, writers and files. System.out counts too (a PrintStream).
     */
    @ArchTest
    static final ArchRule simDoesNoIo = noClasses()
            .that().resideInAPackage(SIM)
            .should().dependOnClassesThat(resideInAnyPackage("java.io..", "java.nio.file..", "java.nio.channels..",
                            "java.net..")
                    .and(not(type(Serializable.class))))
            .because("the numeric kernel does no I/O (docs/design.md §2): callers hand it values and read its results");

    /**
     * spec's one piece of I/O is {@link SpecParser#parseFile} reading the spec through java.nio.file
     * (next rule); no java.io File classes, channels or network anywhere in it.
     */
    @ArchTest
    static final ArchRule specUsesNoNetworkOrLegacyFiles = noClasses()
            .that().resideInAPackage(SPEC)
            .should().dependOnClassesThat(resideInAnyPackage("java.net..", "java.nio.channels..")
                    .or(resideInAPackage("java.io").and(simpleNameStartingWith("File"))))
            .because("spec turns bytes into a validated SweepSpec; the caller owns files and connections");

    @ArchTest
    static final ArchRule onlySpecParserReadsFiles = noClasses()
            .that().resideInAPackage(SPEC)
            .and().doNotHaveFullyQualifiedName(SpecParser.class.getName())
            .should().dependOnClassesThat().resideInAPackage("java.nio.file..")
            .because("SpecParser.parseFile is spec's one entry point that reads a file; the rest works on values");

    @ArchTest
    static final ArchRule simDependsOnlyOnBlas = noClasses()
            .that().resideInAPackage(SIM)
            .should().dependOnClassesThat(resideInAPackage(OURS).and(not(resideInAnyPackage(SIM, BLAS))))
            .because("sim is the bottom room but for the BLAS it multiplies on: spec, job and cli build on it");

    /** blas loads a native library (files, class-path resources): the I/O sim may not do, below it. */
    @ArchTest
    static final ArchRule blasDependsOnNothingOfOurs = noClasses()
            .that().resideInAPackage(BLAS)
            .should().dependOnClassesThat(resideInAPackage(OURS).and(not(resideInAPackage(BLAS))))
            .because("blas chooses and loads the BLAS library under sim; it knows nothing of sweeps");

    @ArchTest
    static final ArchRule specDependsOnlyOnSim = noClasses()
            .that().resideInAPackage(SPEC)
            .should().dependOnClassesThat(resideInAPackage(OURS).and(not(resideInAnyPackage(SPEC, SIM))))
            .because("spec → sim is spec's only arrow; job, tables and cli read specs, not the other way");

    @ArchTest
    static final ArchRule theoryDependsOnlyOnSim = noClasses()
            .that().resideInAPackage(THEORY)
            .should().dependOnClassesThat(resideInAPackage(OURS).and(not(resideInAnyPackage(THEORY, SIM))))
            .because("theory computes from an activation and two variances; the job puts its numbers beside the rows");

    @ArchTest
    static final ArchRule tablesDependsOnNothingOfOurs = noClasses()
            .that().resideInAPackage(TABLES)
            .should().dependOnClassesThat(resideInAPackage(OURS).and(not(resideInAPackage(TABLES))))
            .because("tables reads what the job wrote through the schema alone, so it may not reach into job or cli");

    @ArchTest
    static final ArchRule jobDependsOnlyOnSpecSimTables = noClasses()
            .that().resideInAPackage(JOB)
            .should().dependOnClassesThat(resideInAPackage(OURS).and(not(resideInAnyPackage(JOB, SPEC, SIM, BLAS, THEORY, TABLES))))
            .because("job adapts spec, sim and theory to Spark, records the BLAS, and writes through tables; nothing else of ours");

    @ArchTest
    static final ArchRule reportDependsOnlyOnTablesAndSpec = noClasses()
            .that().resideInAPackage(REPORT)
            .should().dependOnClassesThat(resideInAPackage(OURS).and(not(resideInAnyPackage(REPORT, TABLES, SPEC))))
            .because("report reads what the job wrote through the tables' views (and may read specs); it runs no sweep");

    @ArchTest
    static final ArchRule onlyCliAndExploreDependOnReport = noClasses()
            .that().resideOutsideOfPackages(REPORT, EXPLORE, CLI)
            .should().dependOnClassesThat().resideInAPackage(REPORT)
            .because("report sits beside the job, not under it: sim, spec, job and tables never draw figures; the explorer"
                    + " reuses the report's reading of the tables (keys, the seed figure, writing a page whole)");

    @ArchTest
    static final ArchRule exploreDependsOnlyOnReportAndTables = noClasses()
            .that().resideInAPackage(EXPLORE)
            .should().dependOnClassesThat(resideInAPackage(OURS).and(not(resideInAnyPackage(EXPLORE, REPORT, TABLES))))
            .because("the explorer reads what the job wrote through the tables' views and the report's data; it runs no sweep");

    @ArchTest
    static final ArchRule onlyCliDependsOnExplore = noClasses()
            .that().resideOutsideOfPackages(EXPLORE, CLI)
            .should().dependOnClassesThat().resideInAPackage(EXPLORE)
            .because("the explorer is a page of a written sweep: nothing but the command line builds it");

    @ArchTest
    static final ArchRule onlyCliDependsOnCli = noClasses()
            .that().resideOutsideOfPackage(CLI)
            .should().dependOnClassesThat().resideInAPackage(CLI)
            .because("cli is the outermost room: it wires everything and nothing depends on it");

    @ArchTest
    static final ArchRule roomsAreFreeOfCycles = slices()
            .matching("io.initsweep.(*)..")
            .should().beFreeOfCycles();
}
