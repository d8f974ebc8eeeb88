package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Initializer scales against the formulas of PyTorch's {@code torch.nn.init} (gain 1 for Xavier,
 * √2 for Kaiming with a = 0 and mode fan_in), written out here. A non-square layer tells fan_in
 * from fan_out.
 */
class InitTest {
    /** Each side is one or two correctly rounded operations on the same inputs: a few ulps. */
    private static final double REL_TOL = 4 * Math.ulp(1.0);

    private static final int FAN_IN = 300;
    private static final int FAN_OUT = 100;

    private static void assertRel(double actual, double expected, String what) {
        assertThat(actual).as(what).isCloseTo(expected, within(REL_TOL * Math.abs(expected)));
    }

    @Test
    void weightStdFollowsTorchNnInit() {
        // xavier_normal_: std = gain·√(2/(fan_in + fan_out))
        assertRel(Init.XAVIER_NORMAL.weightStd(Double.NaN, FAN_IN, FAN_OUT), Math.sqrt(2.0 / 400), "xavier_normal");
        // xavier_uniform_: U(−b, b), b = gain·√(6/(fan_in + fan_out)); std = b/√3
        assertRel(Init.XAVIER_UNIFORM.weightStd(Double.NaN, FAN_IN, FAN_OUT), Math.sqrt(6.0 / 400) / Math.sqrt(3),
                "xavier_uniform");
        // kaiming_normal_: std = gain/√fan_in, gain = √2
        assertRel(Init.HE_NORMAL.weightStd(Double.NaN, FAN_IN, FAN_OUT), Math.sqrt(2.0) / Math.sqrt(FAN_IN), "he_normal");
        // kaiming_uniform_: b = gain·√(3/fan_in); std = b/√3
        assertRel(Init.HE_UNIFORM.weightStd(Double.NaN, FAN_IN, FAN_OUT),
                Math.sqrt(2.0) * Math.sqrt(3.0 / FAN_IN) / Math.sqrt(3), "he_uniform");
        // fixed-scale schemes take the std axis as is; the same value for any fan
        assertThat(Init.NORMAL.weightStd(0.37, FAN_IN, FAN_OUT)).isEqualTo(0.37);
        assertThat(Init.UNIFORM.weightStd(0.37, 7, 9)).isEqualTo(0.37);
        assertThat(Init.ZEROS.weightStd(0.37, FAN_IN, FAN_OUT)).isZero();
        assertThat(Init.CONSTANT.weightStd(0.37, FAN_IN, FAN_OUT)).isZero();
    }

    @Test
    void multiplierIsTheStdForDrawnSchemesAndTheValueForConstant() {
        for (Init init : Init.values()) {
            double m = init.multiplier(0.37, 0.25, FAN_IN, FAN_OUT);
            switch (init) {
                case NORMAL, UNIFORM, XAVIER_NORMAL, XAVIER_UNIFORM, HE_NORMAL, HE_UNIFORM ->
                        assertThat(m).as(init.id()).isEqualTo(init.weightStd(0.37, FAN_IN, FAN_OUT));
                case ZEROS -> assertThat(m).isZero();
                case CONSTANT -> assertThat(m).isEqualTo(0.25);
            }
        }
    }

    @Test
    void familiesShareBaseDraws() {
        assertThat(Init.NORMAL.family()).isEqualTo(Init.Family.GAUSSIAN);
        assertThat(Init.XAVIER_NORMAL.family()).isEqualTo(Init.Family.GAUSSIAN);
        assertThat(Init.HE_NORMAL.family()).isEqualTo(Init.Family.GAUSSIAN);
        assertThat(Init.UNIFORM.family()).isEqualTo(Init.Family.UNIFORM);
        assertThat(Init.XAVIER_UNIFORM.family()).isEqualTo(Init.Family.UNIFORM);
        assertThat(Init.HE_UNIFORM.family()).isEqualTo(Init.Family.UNIFORM);
        assertThat(Init.ZEROS.family()).isEqualTo(Init.Family.NONE);
        assertThat(Init.CONSTANT.family()).isEqualTo(Init.Family.NONE);
        assertThat(Init.NORMAL.usesStdAxis()).isTrue();
        assertThat(Init.HE_NORMAL.usesStdAxis()).isFalse();
        assertThat(Init.CONSTANT.takesValue()).isTrue();
    }

    @Test
    void idsRoundTrip() {
        for (Init init : Init.values()) {
            assertThat(Init.byId(init.id())).isSameAs(init);
        }
        for (Activation act : Activation.values()) {
            assertThat(Activation.byId(act.id())).isSameAs(act);
        }
        assertThat(Init.byId("glorot")).isNull();
        assertThat(Activation.byId("swiglu")).isNull();
    }
}
