package io.initsweep.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table: header, rule, rows; numbers right-aligned, text left-aligned. */
final class TextTable {
    private final List<String> header;
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] numeric;

    TextTable(List<String> header) {
        this.header = header;
        this.numeric = new boolean[header.size()];
        java.util.Arrays.fill(numeric, true);
    }

    void add(List<Object> values, boolean exact) {
        String[] cells = new String[values.size()];
        for (int i = 0; i < cells.length; i++) {
            Object v = values.get(i);
            cells[i] = format(v, exact);
            if (v != null && !(v instanceof Number)) {
                numeric[i] = false;
            }
        }
        rows.add(cells);
    }

    void print(PrintWriter out) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        out.println(line(header.toArray(new String[0]), w));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        out.println(rule);
        for (String[] r : rows) {
            out.println(line(r, w));
        }
        out.flush();
    }

    private String line(String[] cells, int[] w) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append("  ");
            }
            String pad = " ".repeat(w[i] - cells[i].length());
            b.append(numeric[i] ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
        }
        return b.toString();
    }

    /** {@code exact}: shortest round-trip form of doubles; else 4 significant digits. */
    static String format(Object v, boolean exact) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            if (exact || !Double.isFinite(d) || d == 0) {
                return d.toString();
            }
            BigDecimal b = new BigDecimal(d).round(new MathContext(4));
            double abs = Math.abs(d);
            return abs >= 1e-4 && abs < 1e7 ? b.stripTrailingZeros().toPlainString() : String.format("%.3e", d);
        }
        if (v instanceof scala.collection.Seq<?> seq) {
            List<String> parts = new ArrayList<>();
            scala.jdk.javaapi.CollectionConverters.asJava(seq).forEach(x -> parts.add(format(x, exact)));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(x -> parts.add(format(x, exact)));
            return "[" + String.join(", ", parts) + "]";
        }
        return v.toString();
    }
}
