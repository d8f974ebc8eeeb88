package io.initsweep.sim;

import java.io.Serializable;

/**
 * Fixed, equal-width bins over [lo, hi]. Bin k holds values x with edges[k] ≤ x &lt; edges[k+1];
 * the last bin also holds x = hi (numpy's {@code histogram} convention). Values below lo count as
 * underflow, above hi as overflow, NaN and ±Inf as non-finite.
 *
 * @param lo lower edge, finite
 * @param hi upper edge, finite, &gt; lo
 * @param bins number of bins, ≥ 1
 */
public record HistogramSpec(double lo, double hi, int bins) implements Serializable {
    public HistogramSpec {
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi)) {
            throw new IllegalArgumentException("histogram range must be finite with lo < hi, found [" + lo + ", " + hi + "]");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("histogram bins must be >= 1, found " + bins);
        }
    }

    /** The bins + 1 edges, lo + (hi − lo)·k/bins, with the last one exactly hi. */
    public double[] edges() {
        double[] e = new double[bins + 1];
        for (int k = 0; k <= bins; k++) {
            e[k] = lo + (hi - lo) * k / bins;
        }
        e[bins] = hi;
        return e;
    }
}
