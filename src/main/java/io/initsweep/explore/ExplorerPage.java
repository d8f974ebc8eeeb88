package io.initsweep.explore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.initsweep.report.HtmlReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The explorer's HTML: the page template with its style, the vendored Vega, Vega-Lite and
 * vega-embed builds, the explorer's own script and the sweep's data, all inline. The data is a
 * JSON island ({@code <script type="application/json">}) whose {@code <}, {@code >}, {@code &} and
 * non-ASCII characters are escaped, so no string of the sweep (a spec name, an init parameter)
 * can end the script or become markup; the page shows strings as text only. The
 * Content-Security-Policy admits exactly the page's own scripts (by their SHA-256) and fetches
 * nothing.
 */
final class ExplorerPage {
    /** The vendored scripts, in load order (the jar's resources, put there by the build from the npm registry). */
    static final List<String> VENDOR = List.of("vendor/vega/build/vega.min.js", "vendor/vega-lite/build/vega-lite.min.js",
            "vendor/vega-embed/build/vega-embed.min.js");

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build()
            .setCharacterEscapes(new HtmlSafe()));

    private ExplorerPage() {}

    static String html(ExploreData.Gathered g) {
        String data;
        try {
            data = JSON.writeValueAsString(g.json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> scripts = new ArrayList<>();
        for (String v : VENDOR) {
            scripts.add(withoutSourceMap(resource(v)));
        }
        scripts.add(resource("explorer.js"));
        StringBuilder hashes = new StringBuilder();
        StringBuilder tags = new StringBuilder();
        for (String s : scripts) {
            if (s.toLowerCase(Locale.ROOT).contains("</script")) {
                throw new IllegalStateException("a script to inline contains </script; it cannot be inlined as it is");
            }
            hashes.append(" 'sha256-").append(sha256(s)).append('\'');
            tags.append("<script>").append(s).append("</script>\n");
        }
        String csp = "default-src 'none'; script-src" + hashes + "; style-src 'unsafe-inline'; img-src data:";
        return fill(resource("explorer.html"), java.util.Map.of("csp", HtmlReport.esc(csp),
                "title", HtmlReport.esc("initsweep explorer: " + g.sweep()), "style", resource("explorer.css"), "data", data,
                "scripts", tags.toString()));
    }

    /** The template with each {@code {{name}}} replaced, in one pass: inserted text is never scanned again. */
    static String fill(String template, java.util.Map<String, String> values) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\\{(\\w+)\\}\\}").matcher(template);
        StringBuilder out = new StringBuilder(template.length() + values.values().stream().mapToInt(String::length).sum());
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalStateException("no value for {{" + m.group(1) + "}} in the page template");
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The last line's {@code //# sourceMappingURL=…}: the map is not shipped, and nothing is fetched. */
    static String withoutSourceMap(String script) {
        return script.replaceAll("(?m)^//# sourceMappingURL=.*$", "");
    }

    static String resource(String name) {
        try (InputStream in = ExplorerPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource io/initsweep/explore/" + name
                        + " (the build puts the vendored scripts there: mvn package)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON that can sit inside an HTML script element: &lt; &gt; &amp; and ' as \\u escapes. */
    private static final class HtmlSafe extends CharacterEscapes {
        private final int[] escapes;

        HtmlSafe() {
            escapes = standardAsciiEscapesForJSON();
            for (char c : new char[] {'<', '>', '&', '\''}) {
                escapes[c] = ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return new SerializedString(String.format("\\u%04x", ch));
        }
    }
}
