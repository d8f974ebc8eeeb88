package io.initsweep.sim;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.TruncatedNormalDistribution;

/**
 * Keyed random streams. Each stream's seed is a hash of (master seed, grid seed, what it is
 * for, its shape, its distribution family), never of partition, task attempt or time, so a
 * chain gives bit-identical draws wherever and whenever it runs, and schemes of one family
 * see the same base draws (common random numbers).
 *
 * <p>The generator is SplitMix64 (Steele, Lea &amp; Flood 2014), reseeded in place so that no
 * object is allocated per layer; Gaussians come from Commons RNG's
 * {@link ZigguratSampler.NormalizedGaussian} (McFarland 2016), which keeps no state between draws.
 * Not thread-safe: one instance per task.
 *
 * <p>Weight streams are keyed by (master seed, seed, layer, shape, {@link Initializer.Family}); the
 * family's ordinal is part of the key, so families are only ever appended.
 */
public final class RandomStreams {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long HASH_START = 0x243F6A8885A308D3L;
    private static final long TAG_INPUT = 0x494e505554L; // "INPUT"
    private static final long TAG_WEIGHTS = 0x5745494748L; // "WEIGH"
    private static final long TAG_BIAS = 0x42494153L; // "BIAS"
    private static final long TAG_SPARSE = 0x5350415253L; // "SPARS"
    private static final long TAG_SHARED = 0x5348415245L; // "SHARE"
    private static final long TAG_ERROR = 0x4552524f52L; // "ERROR"
    private static final long TAG_READOUT = 0x524541444fL; // "READO"
    private static final long TAG_TEACHER = 0x5445414348L; // "TEACH"

    /**
     * The std of N(0, 1) truncated to (−2, 2), √(1 − 4φ(2)/(Φ(2) − Φ(−2))), as Keras and JAX
     * write it in their variance-scaling initializers; dividing by it gives unit variance.
     */
    public static final double TRUNCATED_UNIT_STD = 0.87962566103423978;

    private final ReseedableSplitMix64 rng = new ReseedableSplitMix64();
    private final ZigguratSampler.NormalizedGaussian gaussian = ZigguratSampler.NormalizedGaussian.of(rng);
    /** The truncated-normal sampler of the last (std, a, b), on {@link #rng}: built again only when they change. */
    private ContinuousDistribution.Sampler truncated;
    private double truncatedStd = Double.NaN;
    private double truncatedLo = Double.NaN;
    private double truncatedHi = Double.NaN;
    private int[] positions = new int[0];

    /** The stream key of the input matrix. */
    public static long inputKey(long masterSeed, long seed, int batch, int width, InputDistribution input) {
        return fold(fold(fold(fold(fold(fold(HASH_START, masterSeed), seed), TAG_INPUT), batch), width), input.ordinal());
    }

    /** The stream key of the row shared by every row of a correlated input (see {@link ChainParams#inputCorrelation}). */
    public static long sharedInputKey(long masterSeed, long seed, int width) {
        return fold(fold(fold(fold(HASH_START, masterSeed), seed), TAG_SHARED), width);
    }

    /** The stream key of δ_L, the N(0, 1) error a grid point of depth {@code depth} backpropagates (batch × width). */
    public static long errorKey(long masterSeed, long seed, int depth, int batch, int width) {
        return fold(fold(fold(fold(fold(fold(HASH_START, masterSeed), seed), TAG_ERROR), depth), batch), width);
    }

    /** The stream key of the linear readout (width × outputs) on a grid point of depth {@code depth}, under MSE. */
    public static long readoutKey(long masterSeed, long seed, int depth, int width, int outputs) {
        return fold(fold(fold(fold(fold(fold(HASH_START, masterSeed), seed), TAG_READOUT), depth), width), outputs);
    }

    /**
     * The stream key of the teacher (input width × outputs) whose outputs are MSE's targets: one
     * per master seed and shape, the same for every grid seed and depth.
     */
    public static long teacherKey(long masterSeed, int inputWidth, int outputs) {
        return fold(fold(fold(fold(HASH_START, masterSeed), TAG_TEACHER), inputWidth), outputs);
    }

    /** The stream key of layer {@code layer}'s base weights (1-based layer). */
    public static long weightKey(long masterSeed, long seed, int layer, int fanIn, int fanOut, Initializer.Family family) {
        return fold(fold(fold(fold(fold(fold(HASH_START, masterSeed), seed), TAG_WEIGHTS), layer), ((long) fanIn << 32) | fanOut),
                family.ordinal());
    }

    /** The stream key of layer {@code layer}'s sparse zero positions (1-based layer). */
    public static long sparseKey(long masterSeed, long seed, int layer, int fanIn, int fanOut) {
        return fold(fold(fold(fold(fold(HASH_START, masterSeed), seed), TAG_SPARSE), layer), ((long) fanIn << 32) | fanOut);
    }

    /** The stream key of layer {@code layer}'s bias base draws (N(0, 1), scaled by the bias std). */
    public static long biasKey(long masterSeed, long seed, int layer, int fanOut) {
        return fold(fold(fold(fold(fold(HASH_START, masterSeed), seed), TAG_BIAS), layer), fanOut);
    }

    /** Fills {@code out[0..n)} with N(0, 1) draws from the stream {@code key}. */
    public void fillGaussian(long key, double[] out, int n) {
        rng.reseed(key);
        for (int i = 0; i < n; i++) {
            out[i] = gaussian.sample();
        }
    }

    /** Fills {@code out[0..n)} with U(−√3, √3) draws (unit variance) from the stream {@code key}. */
    public void fillUniformUnitVariance(long key, double[] out, int n) {
        rng.reseed(key);
        final double width = 2.0 * Math.sqrt(3.0);
        final double lo = -Math.sqrt(3.0);
        for (int i = 0; i < n; i++) {
            out[i] = lo + width * rng.nextDouble();
        }
    }

    /**
     * Fills {@code out[0..n)} with Z/{@link #TRUNCATED_UNIT_STD}, Z ~ N(0, 1) restricted to the
     * open interval (−2, 2) by rejection (Keras/JAX's truncated normal before scaling), from the
     * stream {@code key}: unit variance.
     */
    public void fillTruncatedUnitVariance(long key, double[] out, int n) {
        rng.reseed(key);
        for (int i = 0; i < n; i++) {
            double z = gaussian.sample();
            while (!(z > -2.0 && z < 2.0)) {
                z = gaussian.sample();
            }
            out[i] = z / TRUNCATED_UNIT_STD;
        }
    }

    /**
     * Fills {@code out[0..n)} with N(0, std²) draws restricted to [lo, hi] (absolute cutoffs),
     * from the stream {@code key}, by Commons Statistics' {@link TruncatedNormalDistribution}
     * sampler: rejection from a ziggurat Gaussian when the interval holds a fair share of the
     * mass, inverse CDF on [Φ(lo/std), Φ(hi/std)] otherwise (valid far in the tail and on tiny
     * intervals). The sampler is rebuilt only when (std, lo, hi) changes.
     *
     * @throws IllegalArgumentException if std ≤ 0, lo ≥ hi or the interval has no mass
     */
    public void fillTruncatedNormal(long key, double std, double lo, double hi, double[] out, int n) {
        if (truncated == null || !sameBits(std, truncatedStd) || !sameBits(lo, truncatedLo) || !sameBits(hi, truncatedHi)) {
            // The inverse CDF maps u to Φ⁻¹(Φ(a) + u·(Φ(b) − Φ(a))): above the mean Φ(a) rounds to 1
            // (at a/std ≳ 8.3 the mass 1 − Φ(a) is below half an ulp of 1) and every draw would be b.
            // Below the mean Φ(a) is tiny and exact, so an interval above 0 is drawn mirrored.
            truncated = lo > 0 ? TruncatedNormalDistribution.of(0.0, std, -hi, -lo).createSampler(rng)
                    : TruncatedNormalDistribution.of(0.0, std, lo, hi).createSampler(rng);
            truncatedStd = std;
            truncatedLo = lo;
            truncatedHi = hi;
        }
        rng.reseed(key);
        if (lo > 0) {
            for (int i = 0; i < n; i++) {
                out[i] = -truncated.sample();
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = truncated.sample();
            }
        }
    }

    /**
     * Sets exactly {@code zerosPerRow} entries of every row of the row-major {@code rows × cols}
     * matrix {@code w} to 0, at positions drawn from the stream {@code key}: a uniformly random
     * subset per row (a partial Fisher–Yates shuffle of the column indices), as PyTorch's
     * {@code randperm(rows)[:num_zeros]} per column of its transposed weight.
     */
    public void zeroPerRow(long key, double[] w, int rows, int cols, int zerosPerRow) {
        if (zerosPerRow < 0 || zerosPerRow > cols) {
            throw new IllegalArgumentException("zeros per row must be in [0, " + cols + "], found " + zerosPerRow);
        }
        if (positions.length < cols) {
            positions = new int[cols];
        }
        rng.reseed(key);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                positions[j] = j;
            }
            int base = r * cols;
            for (int k = 0; k < zerosPerRow; k++) {
                int pick = k + rng.nextInt(cols - k);
                int column = positions[pick];
                positions[pick] = positions[k];
                positions[k] = column;
                w[base + column] = 0.0;
            }
        }
    }

    /**
     * Fills with the unit-scale base draws of {@code family}: Gaussian, unit-variance uniform,
     * unit-variance truncated Gaussian, or all ones (NONE).
     *
     * @throws IllegalArgumentException for TRUNCATED_ABSOLUTE, whose draws need their cutoffs
     *     ({@link #fillTruncatedNormal})
     */
    public void fillBase(Initializer.Family family, long key, double[] out, int n) {
        switch (family) {
            case GAUSSIAN -> fillGaussian(key, out, n);
            case UNIFORM -> fillUniformUnitVariance(key, out, n);
            case TRUNCATED_GAUSSIAN -> fillTruncatedUnitVariance(key, out, n);
            case NONE -> java.util.Arrays.fill(out, 0, n, 1.0);
            case TRUNCATED_ABSOLUTE -> throw new IllegalArgumentException(
                    "TRUNCATED_ABSOLUTE draws depend on std and cutoffs: use fillTruncatedNormal");
        }
    }

    private static boolean sameBits(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    /**
     * The key of a tuple: a fold of {@link #fold} over its parts from {@link #HASH_START}. The key
     * methods spell the fold out so that no varargs array is allocated per layer; this is its
     * definition, which tests hold them to.
     */
    static long hash(long... parts) {
        long h = HASH_START;
        for (long p : parts) {
            h = fold(h, p);
        }
        return h;
    }

    private static long fold(long h, long part) {
        return mix64(h ^ mix64(part + GOLDEN));
    }

    /** SplitMix64's finalizer (Stafford variant 13). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** SplitMix64 whose state can be reset, so one sampler serves every stream. */
    static final class ReseedableSplitMix64 implements UniformRandomProvider {
        private long state;

        void reseed(long seed) {
            state = seed;
        }

        @Override
        public long nextLong() {
            state += GOLDEN;
            return mix64(state);
        }
    }
}
