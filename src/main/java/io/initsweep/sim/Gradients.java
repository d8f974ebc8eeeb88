package io.initsweep.sim;

import java.io.Serializable;
import java.util.Objects;

/**
 * What the backward pass at initialization records, when a sweep asks for it (spec key
 * {@code gradients}); see {@link GradientPass}.
 *
 * @param error the error signal at the last layer: {@link Backward.ErrorMode#NORMAL} δ_L ~ N(0, 1)
 *     i.i.d. from the grid point's own stream, or {@link Backward.ErrorMode#MSE} squared error of a
 *     linear readout against a fixed random linear teacher's targets
 * @param outputs units of the readout and the teacher under MSE (1 under NORMAL, unused)
 * @param jacobianSamples input rows whose input–output Jacobian spectrum is recorded at each grid
 *     point (at most the batch; 0: none)
 */
public record Gradients(Backward.ErrorMode error, int outputs, int jacobianSamples) implements Serializable {
    /** Readout units under MSE when the spec gives none. */
    public static final int DEFAULT_OUTPUTS = 10;
    /** The most readout units a spec may ask for. */
    public static final int MAX_OUTPUTS = 100_000;

    /** Jacobian samples when the spec gives none. */
    public static final int DEFAULT_JACOBIAN_SAMPLES = 8;
    /** The most Jacobian samples a spec may ask for. */
    public static final int MAX_JACOBIAN_SAMPLES = 1000;

    /** δ_L ~ N(0, 1) and 8 Jacobian samples: the spec's {@code gradients: true}. */
    public static final Gradients NORMAL = new Gradients(Backward.ErrorMode.NORMAL, 1, DEFAULT_JACOBIAN_SAMPLES);

    public Gradients {
        Objects.requireNonNull(error, "error");
        Check.argument(outputs >= 1 && outputs <= MAX_OUTPUTS, "outputs must be in 1..%s, found %s", MAX_OUTPUTS, outputs);
        Check.argument(error == Backward.ErrorMode.MSE || outputs == 1, "only error: mse takes outputs, found %s", outputs);
        Check.argument(jacobianSamples >= 0 && jacobianSamples <= MAX_JACOBIAN_SAMPLES,
                "jacobian_samples must be in 0..%s, found %s", MAX_JACOBIAN_SAMPLES, jacobianSamples);
    }

    /** Errors of one mode, and the default Jacobian samples. */
    public Gradients(Backward.ErrorMode error, int outputs) {
        this(error, outputs, DEFAULT_JACOBIAN_SAMPLES);
    }

    /** The Jacobian samples of a chain with this batch: at most its rows. */
    public int jacobianSamples(int batch) {
        return Math.min(jacobianSamples, batch);
    }

    /** The text the chain's id is hashed from. */
    public String label() {
        // the Jacobian adds rows of its own table, not values to the others: it is not part of the ids
        return error == Backward.ErrorMode.MSE ? "mse(outputs=" + outputs + ")" : "normal";
    }
}
