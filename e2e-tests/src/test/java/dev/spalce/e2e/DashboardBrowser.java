package dev.spalce.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.testsupport.Infrastructure;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by its chromedriver (paths set explicitly: nothing is downloaded), signed in
 * to the dashboard through the local OIDC server's login form. After every step, the browser's console is read:
 * any error on the dashboard's origin — a content security policy violation, a script error, a failed request
 * the step did not expect — fails the test. Each page is saved as a screenshot under target/dashboard-screenshots.
 */
final class DashboardBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ChromeDriver driver;
    private final URI gateway;
    private final Path profile;
    private final Path downloads;
    private final List<String> consoleErrors = new ArrayList<>();

    private DashboardBrowser(ChromeDriver driver, URI gateway, Path profile, Path downloads) {
        this.driver = driver;
        this.gateway = gateway;
        this.profile = profile;
        this.downloads = downloads;
    }

    static DashboardBrowser start(URI gateway) throws IOException {
        Infrastructure.requireCommand("chromium", "chromium chromium-driver");
        Infrastructure.requireCommand("chromedriver", "chromium-driver");
        Path profile = Files.createTempDirectory("spalce-chromium-");
        Path downloads = Files.createTempDirectory("spalce-downloads-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--window-size=1280,900");
        // The gateway's local certificate is self-signed.
        options.setAcceptInsecureCerts(true);
        options.setExperimentalOption(
                "prefs",
                Map.of("download.default_directory", downloads.toString(), "download.prompt_for_download", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        Files.createDirectories(SCREENSHOTS);
        for (String left : List.of("failure.png", "failure.html", "failure-console.txt")) {
            Files.deleteIfExists(SCREENSHOTS.resolve(left));
        }
        return new DashboardBrowser(new ChromeDriver(service, options), gateway, profile, downloads);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** The one file the browser has finished saving, once it holds {@code size} bytes; null until then. */
    Path downloaded(long size) {
        try (Stream<Path> files = Files.list(downloads)) {
            List<Path> saved = files.filter(
                            file -> !file.getFileName().toString().endsWith(".crdownload"))
                    .toList();
            return saved.size() == 1 && Files.size(saved.get(0)) == size ? saved.get(0) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Signs in through the OIDC server's login form as {@code user}, with an email claim. */
    void signIn(String user, String email) {
        driver.get(gateway.resolve("/app/").toString());
        completeSignIn(user, email);
    }

    /** Fills the OIDC server's login form the browser is on, then waits for the dashboard. */
    void completeSignIn(String user, String email) {
        WebElement username = waitFor(By.name("username"));
        username.sendKeys(user);
        driver.findElement(By.name("claims"))
                .sendKeys("{\"email\": \"" + email + "\", \"email_verified\": true, \"name\": \"" + user + "\"}");
        // What the OIDC server's own page logged (it links a web font this network cannot reach) is not the
        // dashboard's: drain it before leaving that page.
        driver.manage().logs().get(LogType.BROWSER);
        driver.findElement(By.cssSelector("form input[type=submit]")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBe(By.id("who"), user));
        checkConsole();
    }

    /** RP-initiated sign-out: the session ends here and at the provider. */
    void signOut() {
        click(By.id("sign-out"));
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlContains("/signed-out"));
        checkConsole();
    }

    void open(String hash) {
        String target = gateway.resolve("/app/" + hash).toString();
        if (driver.getCurrentUrl().startsWith(gateway.resolve("/app/").toString())) {
            // The page changes on the next hashchange event, not at once: wait until the old one is gone, or the
            // old page's heading (and tables) would pass for the new one's.
            List<WebElement> previous = driver.findElements(By.cssSelector("main h1"));
            boolean changes = !target.equals(driver.getCurrentUrl());
            driver.executeScript("location.hash = arguments[0]", hash);
            if (!previous.isEmpty() && changes) {
                new WebDriverWait(driver, WAIT).until(ExpectedConditions.stalenessOf(previous.get(0)));
            }
        } else {
            driver.get(target);
        }
        waitFor(By.cssSelector("main h1"));
    }

    WebElement waitFor(By locator) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    <T> T waitUntil(Duration timeout, java.util.function.Function<ChromeDriver, T> condition) {
        return new WebDriverWait(driver, timeout).until(d -> condition.apply(driver));
    }

    void click(By locator) {
        new WebDriverWait(driver, WAIT)
                .until(ExpectedConditions.elementToBeClickable(locator))
                .click();
    }

    void type(By locator, String text) {
        WebElement field = waitFor(locator);
        field.clear();
        field.sendKeys(text);
    }

    /** Saves the page as it is now, at laptop size (and at phone size when asked). */
    void screenshot(String name) throws IOException {
        checkConsole();
        Files.copy(
                driver.getScreenshotAs(OutputType.FILE).toPath(),
                SCREENSHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    void phoneScreenshot(String name) throws IOException {
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            screenshot(name + "-phone");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    /**
     * Reads the console since the last read; errors on the dashboard's origin fail the test unless
     * {@code expected} accepts them (a refusal the step provokes on purpose). The OIDC server's own pages are not
     * the dashboard's and are not judged.
     */
    void checkConsole(Predicate<String> expected) {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            String message = entry.getMessage();
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()
                    && !message.startsWith(Infrastructure.OIDC_ISSUER.replaceFirst("/[^/:]+$", ""))
                    && !expected.test(message)) {
                consoleErrors.add(driver.getCurrentUrl() + ": " + message);
            }
        }
        assertThat(consoleErrors)
                .as("console errors and CSP violations on the dashboard")
                .isEmpty();
    }

    void checkConsole() {
        checkConsole(message -> false);
    }

    /**
     * What a failed step leaves for review: the page as shown, its document, the status line and everything the
     * console said since the last check, as {@code failure.*} beside the screenshots.
     */
    void keepFailure() {
        try {
            Files.copy(
                    driver.getScreenshotAs(OutputType.FILE).toPath(),
                    SCREENSHOTS.resolve("failure.png"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(SCREENSHOTS.resolve("failure.html"), driver.getPageSource());
            List<String> console = new ArrayList<>(List.of("url: " + driver.getCurrentUrl()));
            driver.findElements(By.id("status")).forEach(status -> console.add("status: " + status.getText()));
            driver.manage()
                    .logs()
                    .get(LogType.BROWSER)
                    .forEach(entry -> console.add(entry.getLevel() + " " + entry.getMessage()));
            Files.write(SCREENSHOTS.resolve("failure-console.txt"), console);
        } catch (IOException | RuntimeException e) {
            // The failure itself is what the test reports; this is only its illustration.
        }
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        for (Path folder : List.of(profile, downloads)) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
