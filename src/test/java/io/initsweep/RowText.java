package io.initsweep;

import java.util.List;
import org.apache.spark.sql.Row;

/** Rows as comparable text: every field in order, doubles as their bits, so equal text is equal to the bit. */
public final class RowText {
    private RowText() {}

    /** Each row as text, sorted. */
    public static List<String> sorted(List<Row> rows) {
        return rows.stream().map(RowText::text).sorted().toList();
    }

    public static String text(Row r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.length(); i++) {
            Object v = r.get(i);
            b.append(v instanceof Double d ? Long.toHexString(Double.doubleToRawLongBits(d)) : String.valueOf(v)).append('|');
        }
        return b.toString();
    }
}
