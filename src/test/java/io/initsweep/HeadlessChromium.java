package io.initsweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven over WebDriver by chromedriver: how the browser tests open
 * the pages initsweep writes. Browser console and network (performance) logs are kept, so a test
 * can check for errors and for fetches.
 */
public final class HeadlessChromium {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private HeadlessChromium() {}

    /** A new browser with its profile under {@code scratch}; missing binaries fail the test and say what to install. */
    public static ChromeDriver start(Path scratch) throws IOException {
        assertThat(new File(CHROMIUM)).as("%s is missing: install Debian's chromium (apt-get install chromium chromium-driver;"
                + " .ci/run does)", CHROMIUM).canRead();
        assertThat(new File(CHROMEDRIVER)).as("%s is missing: install Debian's chromium-driver (apt-get install chromium"
                + " chromium-driver; .ci/run does)", CHROMEDRIVER).canRead();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory(scratch, "chromium-profile"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(service, options);
    }
}
