package io.initsweep.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two tables' definitions cannot be changed at run time and are told apart by name. */
class SchemaTest {
    @Test
    void tablesAreNamedAndPartitionedByTheirName() {
        assertThat(Schema.LAYERS.name()).isEqualTo(Views.LAYERS);
        assertThat(Schema.RUNS.name()).isEqualTo(Views.RUNS);
        assertThat(Schema.partitionColumns(Schema.LAYERS)).containsExactly("activation", "init");
        assertThat(Schema.partitionColumns(Schema.RUNS)).containsExactly("activation");
        assertThat(Schema.LAYERS).isNotEqualTo(Schema.RUNS);
    }

    @Test
    void tablesCannotBeChanged() {
        Schema.Column c = Schema.LAYERS.get("act_std");
        assertThatThrownBy(() -> Schema.LAYERS.put("extra", c)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Schema.RUNS.remove("run_id")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Schema.RUNS.keySet().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Schema.LAYERS.entrySet().iterator().next().setValue(c))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Schema.RUNS.partitionColumns().add("init"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aCopyOfTheColumnsIsEqualButIsNotATable() {
        Map<String, Schema.Column> copy = new LinkedHashMap<>(Schema.RUNS);
        assertThat(copy).isEqualTo(Schema.RUNS);
        assertThat(Schema.RUNS).isEqualTo(copy);
        assertThat(List.copyOf(Schema.RUNS.keySet())).startsWith("sweep", "run_id", "chain_id");
        assertThat(Schema.index(Schema.RUNS, "run_id")).isEqualTo(1);
    }
}
