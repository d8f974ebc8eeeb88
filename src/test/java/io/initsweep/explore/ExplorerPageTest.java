package io.initsweep.explore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page's HTML without a browser or Spark: the data island, the template and the policy's script hashes. */
class ExplorerPageTest {
    static final String HOSTILE = "</script><script>alert(1)</script>{{scripts}}'\"&<!--é\u2028";

    static String page() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("sweep", HOSTILE);
        json.putArray("values").add(HOSTILE).add(1.5).add("NaN");
        return ExplorerPage.html(new ExploreData.Gathered(json, HOSTILE, 1, 1, "all"));
    }

    @Test
    void theDataIslandHoldsNoMarkupAndReadsBackAsWritten() throws Exception {
        String html = page();
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"sweep-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).isTrue();
        String island = m.group(1);
        assertThat(island).doesNotContain("<").doesNotContain(">").doesNotContain("&").doesNotContain("'").matches("\\p{ASCII}*");
        // a JSON parser (the browser's JSON.parse does the same) reads the strings back unchanged
        assertThat(new ObjectMapper().readTree(island).get("sweep").asText()).isEqualTo(HOSTILE);
        assertThat(new ObjectMapper().readTree(island).get("values").get(0).asText()).isEqualTo(HOSTILE);
    }

    @Test
    void theTitleIsEscapedAndTheTemplateIsFilledOnce() {
        String html = page();
        assertThat(html).contains("<title>initsweep explorer: &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{scripts}}&#39;&quot;&amp;&lt;!--é\u2028</title>");
        assertThat(ExplorerPage.fill("a {{x}} b {{y}}", Map.of("x", "{{y}}", "y", "$1\\"))).isEqualTo("a {{y}} b $1\\");
    }

    @Test
    void thePolicyAdmitsExactlyThePagesScripts() throws Exception {
        String html = page();
        Matcher csp = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").matcher(html);
        assertThat(csp.find()).isTrue();
        String policy = csp.group(1).replace("&#39;", "'");
        assertThat(policy).startsWith("default-src 'none'; script-src 'sha256-").doesNotContain("unsafe-eval")
                .contains("style-src 'unsafe-inline'");
        List<String> hashes = new ArrayList<>();
        Matcher s = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
        while (s.find()) {
            hashes.add("'sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(s.group(1).getBytes(StandardCharsets.UTF_8))) + "'");
        }
        assertThat(hashes).hasSize(ExplorerPage.VENDOR.size() + 1);
        assertThat(policy.substring(policy.indexOf("script-src") + "script-src ".length(), policy.indexOf("; style-src")).split(" "))
                .containsExactlyElementsOf(hashes);
        assertThat(html).doesNotContain("sourceMappingURL");
    }
}
