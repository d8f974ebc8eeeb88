package io.initsweep.sim;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One training run per grid point, when a sweep asks for it (spec key {@code training}); see
 * {@link Training} for the student, the losses, the sample order and what is recorded. A spec
 * whose {@code optimizer} or {@code lr} lists several values gives one setup per combination, a
 * grid axis each: the setup is part of the chain's id.
 *
 * <p>The data: a fixed random teacher ({@link Training#teacherTask}) on N(0, 1) inputs of the
 * chain's input width, {@code samples} training and {@code testSamples} test rows, drawn from
 * {@link #dataKey}: master seed, grid seed and shape, not the init, activation or depth, so every
 * init and depth of a seed trains on the same data (common random numbers). The readout
 * R ~ N(0, 1/width) comes from {@link #readoutKey} (also common to the inits), the sample order
 * from {@link #orderKey}.
 *
 * @param kind regression (half squared error) or classification (softmax cross-entropy over the
 *     teacher's argmax)
 * @param outputs the teacher's outputs: regression targets or classes
 * @param samples training rows
 * @param testSamples test rows
 * @param optimizer the update rule and its hyper-parameters (lr among them)
 * @param steps optimizer steps
 * @param batch minibatch rows (at most {@code samples})
 * @param record the steps to record, strictly increasing, 0 first and {@code steps} last; empty for
 *     {@link Training#defaultRecord}
 * @param data a user's data set (a Parquet or CSV file of numeric columns) instead of the teacher, or
 *     null: its first {@code samples} rows train, the next {@code testSamples} rows test
 * @param labelColumn the data set's target column: integer classes 0 … outputs − 1 (classification) or
 *     a numeric target (regression, outputs 1); null for the teacher
 * @param dataSha256 the data file's SHA-256 once the driver has read it (null before, and for the
 *     teacher); a data set's {@code outputs} may be 0 until then: the classes the labels show
 */
public record TrainingSetup(Training.Kind kind, int outputs, int samples, int testSamples, Optimizer.Params optimizer,
        int steps, int batch, List<Integer> record, String data, String labelColumn, String dataSha256)
        implements Serializable {
    public static final int DEFAULT_OUTPUTS = 10;
    public static final int MAX_OUTPUTS = 10_000;
    public static final int DEFAULT_SAMPLES = 4096;
    public static final int DEFAULT_TEST_SAMPLES = 1024;
    public static final int MAX_SAMPLES = 10_000_000;
    public static final int DEFAULT_STEPS = 1000;
    public static final int MAX_STEPS = 10_000_000;
    public static final int DEFAULT_BATCH = 128;
    /** The most steps a spec may list under {@code record}. */
    public static final int MAX_RECORDS = 10_000;

    public TrainingSetup {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(optimizer, "optimizer");
        Check.argument((data == null) == (labelColumn == null), "training data and label go together, found %s and %s",
                data, labelColumn);
        Check.argument(data != null || dataSha256 == null, "a teacher task has no data digest");
        boolean unresolved = data != null && dataSha256 == null;
        Check.argument((unresolved && outputs == 0) || (outputs >= 1 && outputs <= MAX_OUTPUTS),
                "training.outputs must be in 1..%s, found %s", MAX_OUTPUTS, outputs);
        Check.argument(kind != Training.Kind.CLASSIFICATION || outputs >= 2 || (unresolved && outputs == 0),
                "training.outputs must be >= 2 for classification (the classes), found %s", outputs);
        Check.argument(data == null || kind == Training.Kind.CLASSIFICATION || outputs == 1,
                "training.outputs must be 1 for regression on a data set (one label column), found %s", outputs);
        Check.argument(samples >= 1 && samples <= MAX_SAMPLES, "training.samples must be in 1..%s, found %s", MAX_SAMPLES,
                samples);
        Check.argument(testSamples >= 1 && testSamples <= MAX_SAMPLES, "training.test_samples must be in 1..%s, found %s",
                MAX_SAMPLES, testSamples);
        Check.argument(steps >= 1 && steps <= MAX_STEPS, "training.steps must be in 1..%s, found %s", MAX_STEPS, steps);
        Check.argument(batch >= 1 && batch <= samples, "training.batch must be in 1..samples (%s), found %s", samples, batch);
        record = List.copyOf(Objects.requireNonNull(record, "record"));
        if (!record.isEmpty()) {
            Check.argument(record.size() <= MAX_RECORDS, "training.record may list at most %s steps, found %s", MAX_RECORDS,
                    record.size());
            Check.argument(record.get(0) == 0 && record.get(record.size() - 1) == steps,
                    "training.record must start at 0 and end at steps (%s), found %s", steps, record);
            for (int i = 1; i < record.size(); i++) {
                Check.argument(record.get(i) > record.get(i - 1), "training.record must be increasing, found %s after %s",
                        record.get(i), record.get(i - 1));
            }
        }
    }

    /** A teacher task. */
    public TrainingSetup(Training.Kind kind, int outputs, int samples, int testSamples, Optimizer.Params optimizer,
            int steps, int batch, List<Integer> record) {
        this(kind, outputs, samples, testSamples, optimizer, steps, batch, record, null, null, null);
    }

    /** Whether the task is a user's data set. */
    public boolean hasData() {
        return data != null;
    }

    /** This setup with its data set read: the file's digest, and the classes its labels show when outputs was 0. */
    public TrainingSetup resolved(String sha256, int resolvedOutputs) {
        return new TrainingSetup(kind, resolvedOutputs, samples, testSamples, optimizer, steps, batch, record, data, labelColumn,
                sha256);
    }

    /**
     * The key of the data set in the job's broadcast matrices: the samples + testSamples rows'
     * features (row-major, the label column left out) followed by their labels.
     */
    public String dataMatrixKey() {
        Check.state(dataSha256 != null, "training data %s has not been read", data);
        return "training:" + dataSha256 + ":" + labelColumn + ":" + (samples + testSamples);
    }

    /** The data set from a matrix laid out as {@link #dataMatrixKey} says, for an input width of {@code inputs}. */
    public Training.Dataset dataset(double[] matrix, int inputs) {
        final int n = samples + testSamples;
        Check.argument(matrix.length == (long) n * (inputs + 1), "training data holds %s values, expected %s",
                matrix.length, (long) n * (inputs + 1));
        double[] trainX = java.util.Arrays.copyOfRange(matrix, 0, samples * inputs);
        double[] testX = java.util.Arrays.copyOfRange(matrix, samples * inputs, n * inputs);
        final int off = n * inputs;
        if (kind == Training.Kind.REGRESSION) {
            return Training.Dataset.regression(inputs, 1, trainX, java.util.Arrays.copyOfRange(matrix, off, off + samples),
                    testX, java.util.Arrays.copyOfRange(matrix, off + samples, off + n));
        }
        int[] trainLabels = new int[samples];
        int[] testLabels = new int[testSamples];
        for (int i = 0; i < n; i++) {
            int c = (int) matrix[off + i];
            if (i < samples) {
                trainLabels[i] = c;
            } else {
                testLabels[i - samples] = c;
            }
        }
        return Training.Dataset.classification(inputs, outputs, trainX, trainLabels, testX, testLabels);
    }

    /**
     * The record steps a spec lists, completed: 0 and {@code steps} added, sorted, duplicates
     * dropped; empty (the default) for an empty list.
     */
    public static List<Integer> completeRecord(List<Integer> listed, int steps) {
        if (listed.isEmpty()) {
            return List.of();
        }
        java.util.TreeSet<Integer> s = new java.util.TreeSet<>(listed);
        s.add(0);
        s.add(steps);
        return new ArrayList<>(s);
    }

    /** The recorded steps. */
    public int[] recordSteps() {
        return record.isEmpty() ? Training.defaultRecord(steps) : record.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The kernel's schedule, with the sample order drawn from {@code orderSeed}. */
    public Training.Config config(long orderSeed) {
        return new Training.Config(optimizer, steps, batch, orderSeed, recordSteps());
    }

    /** The stream seed of the teacher and its data sets: one per master seed, grid seed and shape. */
    public long dataKey(long masterSeed, long seed, int inputWidth) {
        return RandomStreams.hash(masterSeed, seed, 0x7472_6169_6e64_6174L /* "traindat" */, inputWidth, kind.ordinal(),
                outputs, samples, testSamples);
    }

    /** The stream seed of the readout R (width × outputs): per master seed, grid seed and shape. */
    public long readoutKey(long masterSeed, long seed, int width) {
        return RandomStreams.hash(masterSeed, seed, 0x7472_6169_6e72_6561L /* "trainrea" */, width, outputs);
    }

    /** The SplitMix64 seed of the sample order: per master seed and grid seed, the same for every init. */
    public long orderKey(long masterSeed, long seed) {
        return RandomStreams.hash(masterSeed, seed, 0x7472_6169_6e6f_7264L /* "trainord" */, samples, batch);
    }

    /** The text the chain's id is hashed from: every field. */
    public String label() {
        Optimizer.Params o = optimizer;
        String opt = switch (o.kind()) {
            case SGD -> "sgd";
            case MOMENTUM -> "momentum(" + o.momentum() + ")";
            case ADAM -> "adam(" + o.beta1() + "," + o.beta2() + "," + o.eps() + ")";
        };
        String task = data == null ? "teacher(" : "data(sha256=" + dataSha256 + ",label=" + labelColumn + ",";
        return task + kind.id() + ",outputs=" + outputs + ",samples=" + samples + ",test=" + testSamples + ")|opt="
                + opt + "|lr=" + o.lr() + "|steps=" + steps + "|batch=" + batch + "|record="
                + (record.isEmpty() ? "default" : record.toString());
    }

    /** Optimizer products of one step of a network of these widths: 3 GEMM multiply-adds per weight, batch rows. */
    public static long stepProducts(int batch, int inputWidth, int width, int depth, int outputs) {
        long perRow = (long) inputWidth * width + (long) (depth - 1) * width * width + (long) width * outputs;
        return 3L * batch * perRow;
    }
}
