package io.initsweep.sim;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

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
 */
public final class RandomStreams {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long TAG_INPUT = 0x494e505554L; // "INPUT"
    private static final long TAG_WEIGHTS = 0x5745494748L; // "WEIGH"
    private static final long TAG_BIAS = 0x42494153L; // "BIAS"

    private final ReseedableSplitMix64 rng = new ReseedableSplitMix64();
    private final ZigguratSampler.NormalizedGaussian gaussian = ZigguratSampler.NormalizedGaussian.of(rng);

    /** The stream key of the input matrix. */
    public static long inputKey(long masterSeed, long seed, int batch, int width, InputDistribution input) {
        return hash(masterSeed, seed, TAG_INPUT, batch, width, input.ordinal());
    }

    /** The stream key of layer {@code layer}'s base weights (1-based layer). */
    public static long weightKey(long masterSeed, long seed, int layer, int fanIn, int fanOut, Init.Family family) {
        return hash(masterSeed, seed, TAG_WEIGHTS, layer, ((long) fanIn << 32) | fanOut, family.ordinal());
    }

    /** The stream key of layer {@code layer}'s bias base draws (N(0, 1), scaled by the bias std). */
    public static long biasKey(long masterSeed, long seed, int layer, int fanOut) {
        return hash(masterSeed, seed, TAG_BIAS, layer, fanOut);
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

    /** Fills with the base draws of {@code family}: Gaussian, unit-variance uniform, or all ones. */
    public void fillBase(Init.Family family, long key, double[] out, int n) {
        switch (family) {
            case GAUSSIAN -> fillGaussian(key, out, n);
            case UNIFORM -> fillUniformUnitVariance(key, out, n);
            case NONE -> java.util.Arrays.fill(out, 0, n, 1.0);
        }
    }

    static long hash(long... parts) {
        long h = 0x243F6A8885A308D3L;
        for (long p : parts) {
            h = mix64(h ^ mix64(p + GOLDEN));
        }
        return h;
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
