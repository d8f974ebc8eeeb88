package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry ({@link Activation}'s permits clause) and what travels to executors. */
class ActivationRegistryTest {
    @Test
    void theRegistryIsThePermitsClauseWithUniqueNamesAndOrdinals() {
        Activation[] all = Activation.values();
        assertThat(all).hasSize(Activation.class.getPermittedSubclasses().length);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < all.length; i++) {
            assertThat(all[i].ordinal()).isEqualTo(i);
            assertThat(ids.add(all[i].id())).as("unique name %s", all[i].id()).isTrue();
            assertThat(Activation.byId(all[i].id())).isSameAs(all[i]);
            assertThat(all[i].acceptsParam(all[i].defaultParam())).as("%s accepts its default", all[i]).isTrue();
        }
        assertThat(Activation.byId("no_such_activation")).isNull();
        assertThat(Arrays.asList(all)).startsWith(Activation.SIGMOID, Activation.TANH, Activation.RELU);
    }

    /** Chains travel to executors by Java serialization: every activation comes back as the registered instance. */
    @Test
    void everyActivationSerializesToTheRegisteredInstance() throws IOException, ClassNotFoundException {
        for (Activation act : Activation.values()) {
            act.maxDerivative(act.defaultParam()); // fills any cache a scheme keeps
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(act);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertThat(in.readObject()).as("%s after serialization", act).isSameAs(act);
            }
        }
    }
}
