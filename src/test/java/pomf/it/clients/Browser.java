package pomf.it.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import pomf.it.deployments.Deployments;

/**
 * A real headless Chromium driven through Debian's chromedriver: pages are loaded, scripts run, forms are clicked
 * as an administrator would. Every screenshot lands in {@code target/screenshots/<suite>/} as a test artifact.
 */
public final class Browser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path screenshots;
    private final Path downloads;
    private final Path profile;
    private int shots;

    private Browser(String suite) throws IOException {
        screenshots = Files.createDirectories(Path.of("target", "screenshots", suite));
        downloads = Files.createTempDirectory("pomf-it-downloads");
        // A profile folder of our own, removed on close: left to itself Chromium leaves one per session in /tmp.
        profile = Files.createTempDirectory("pomf-it-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: Chromium refuses to run as root with its sandbox (CI runs as root).
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1440,1000",
                "--lang=en-US",
                "--user-data-dir=" + profile.toAbsolutePath());
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toAbsolutePath().toString());
        prefs.put("download.prompt_for_download", false);
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    /** Why no browser test can run here (Debian's chromium and chromium-driver are missing), or empty. */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            return Optional.of(
                    "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        }
        return Optional.empty();
    }

    public static Browser start(String suite) {
        try {
            return new Browser(suite);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void open(String path) {
        driver.get(PomfClient.uri(path).toString());
    }

    public void logIn(String username, String password) {
        open("/admin/login.xhtml");
        type(By.id("login:username"), username);
        type(By.id("login:password"), password);
        click(By.id("login:submit"));
        waitUntil(b -> !b.url().contains("login.xhtml"));
    }

    public WebElement find(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    public void type(By by, String text) {
        WebElement field = find(by);
        field.clear();
        field.sendKeys(text);
    }

    /** Chooses {@code file} in the file input {@code by} (which may be hidden behind its label). */
    public void choose(By by, Path file) {
        driver.findElement(by).sendKeys(file.toAbsolutePath().toString());
    }

    public void click(By by) {
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(ExpectedConditions.elementToBeClickable(by))
                .click();
    }

    /**
     * Waits until {@code condition} holds. A page that navigates while it is read (a form just posted) leaves the
     * element found a moment before stale: that poll counts as not yet, and the next one reads the new page.
     */
    public void waitUntil(java.util.function.Predicate<Browser> condition) {
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> condition.test(this));
    }

    /** Waits until no PrimeFaces Ajax request is running. */
    public void settle() {
        waitUntil(b -> Boolean.TRUE.equals(
                b.script("return !window.PrimeFaces || !PrimeFaces.ajax || PrimeFaces.ajax.Queue.isEmpty();")));
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public String title() {
        return driver.getTitle();
    }

    /** Saves a screenshot as {@code NN-name.png}. */
    public Path screenshot(String name) {
        try {
            Path file = screenshots.resolve(String.format("%02d-%s.png", ++shots, name));
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Files downloaded so far, complete ones only: Chromium writes a download to a hidden temporary file
     * ({@code .org.chromium.Chromium.*}), then to {@code *.crdownload}, and renames it when done.
     */
    public List<Path> downloads() {
        try (var files = Files.list(downloads)) {
            return files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> !f.toString().endsWith(".crdownload"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        Deployments.deleteTree(downloads);
        Deployments.deleteTree(profile);
    }
}
