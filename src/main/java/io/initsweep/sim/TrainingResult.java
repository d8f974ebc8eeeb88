package io.initsweep.sim;

import java.io.Serializable;

/**
 * The record of one training run ({@link Training#run}): per recorded step the losses, per layer
 * the gradient norm, update ratio and distinct units, and the run's summary. Arrays are indexed by
 * record (0..records − 1, in step order) and, for the per-layer ones, then by 0-based layer (layer
 * l = 1..L at index l − 1). See {@link Training} for the definitions.
 */
public final class TrainingResult implements Serializable {
    private static final long serialVersionUID = 1L;

    /** L, the number of hidden layers (the readout not counted). */
    public final int depth;
    /** The step of each record: 0 (at initialization), …, the last step run. */
    public final int[] step;
    /** Loss over the whole training set at that step's weights. */
    public final double[] trainLoss;
    /** Loss over the whole test set. */
    public final double[] testLoss;
    /** Share of test samples whose argmax output is their label (classification; NaN for regression). */
    public final double[] accuracy;
    /** The same share over the training set (NaN for regression). */
    public final double[] trainAccuracy;
    /** ‖∂L/∂W_l‖_F of the minibatch gradient taken at that step's weights (the gradient of step t + 1). */
    public final double[][] gradNorm;
    /** ‖ΔW_l‖_F / ‖W_l‖_F of the step that led to these weights, W_l before it; NaN at step 0. */
    public final double[][] updateRatio;
    /** Distinct columns of X_l on the first min(n, {@link Training#SYMMETRY_SAMPLES}) training samples. */
    public final int[][] distinctUnits;
    /** Whether a loss or gradient norm of the record is NaN or infinite. */
    public final boolean[] nonfinite;

    /** Train loss of the last record. */
    public final double finalTrainLoss;
    /** Test loss of the last record. */
    public final double finalTestLoss;
    /** Smallest finite test loss over the records; NaN when none is finite. */
    public final double bestTestLoss;
    /** The trivial predictor's test loss (see {@link Training}): the reference for {@link #trained}. */
    public final double baselineTestLoss;
    /** First recorded step whose train loss is ≤ ½ of step 0's; −1 when none is. */
    public final int stepsToHalfLoss;
    /** Whether the run stopped early on a non-finite or exploding loss or gradient. */
    public final boolean diverged;
    /** The step at which divergence was detected (also the last record); −1 when the run did not diverge. */
    public final int divergedAt;
    /** Not diverged and final test loss ≤ {@link Training#TRAINED_FRACTION} × baseline test loss. */
    public final boolean trained;

    TrainingResult(int depth, int[] step, double[] trainLoss, double[] testLoss, double[] accuracy,
            double[] trainAccuracy, double[][] gradNorm, double[][] updateRatio, int[][] distinctUnits,
            boolean[] nonfinite, double baselineTestLoss, boolean diverged, int divergedAt) {
        this.depth = depth;
        this.step = step;
        this.trainLoss = trainLoss;
        this.testLoss = testLoss;
        this.accuracy = accuracy;
        this.trainAccuracy = trainAccuracy;
        this.gradNorm = gradNorm;
        this.updateRatio = updateRatio;
        this.distinctUnits = distinctUnits;
        this.nonfinite = nonfinite;
        this.baselineTestLoss = baselineTestLoss;
        this.diverged = diverged;
        this.divergedAt = divergedAt;
        final int last = step.length - 1;
        finalTrainLoss = trainLoss[last];
        finalTestLoss = testLoss[last];
        double best = Double.NaN;
        for (double v : testLoss) {
            if (Double.isFinite(v) && !(v >= best)) {
                best = v;
            }
        }
        bestTestLoss = best;
        int half = -1;
        for (int r = 0; r < step.length && half < 0; r++) {
            if (trainLoss[r] <= 0.5 * trainLoss[0]) {
                half = step[r];
            }
        }
        stepsToHalfLoss = half;
        trained = !diverged && finalTestLoss <= Training.TRAINED_FRACTION * baselineTestLoss;
    }

    /** The number of records. */
    public int records() {
        return step.length;
    }

    /** The last step run (the step of the last record). */
    public int lastStep() {
        return step[step.length - 1];
    }
}
