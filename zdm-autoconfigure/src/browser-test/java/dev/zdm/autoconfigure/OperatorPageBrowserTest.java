package dev.zdm.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The operator page in Debian's headless Chromium, driven by Selenium through Debian's chromedriver, while a throttled
 * {@code expandColumnType} backfill of 300,000 rows runs on a real PostgreSQL. Runs only with {@code -Pbrowser}.
 */
@ExtendWith(PostgresExtension.class)
class OperatorPageBrowserTest {

    private static final int ROWS = 300_000;

    private static final String BACKFILL = "file.file_size_zdm";

    private final TestDatabase db;

    private WebDriver browser;

    OperatorPageBrowserTest(TestDatabase db) {
        this.db = db;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @BeforeEach
    void setUp() {
        db.execute("DROP TABLE IF EXISTS file, zdm_job_reject, zdm_job_slice, zdm_job, zdm_column_change, zdm_mirror_reject,"
                        + " zdm_schema, databasechangelog, databasechangeloglock CASCADE",
                "CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL, file_size integer NOT NULL)",
                "CREATE INDEX file_checksum_size_idx ON file (checksum, file_size)",
                "INSERT INTO file (checksum, file_size) SELECT md5(g::text), g FROM generate_series(1, " + ROWS + ") g");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("zdm.browser.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("zdm.browser.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.quit();
        }
    }

    private ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + db.user(), "--spring.datasource.password=" + (db.password() == null ? "" : db.password()),
                "--spring.liquibase.change-log=classpath:db/page/expand.yaml", "--zdm.page.enabled=true",
                "--zdm.backfill.poll-interval=200ms", "--zdm.backfill.batch-size=2000", "--zdm.backfill.max-rows-per-second=8000",
                "--management.endpoints.web.exposure.include=backfills"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(App.class).run(args.toArray(String[]::new));
    }

    @Test
    void anOperatorWatchesPausesAndResumesABackfill() throws Exception {
        try (ConfigurableApplicationContext app = start("--management.endpoint.backfills.access=unrestricted")) {
            browser.get(url(app, "/actuator/zdm"));
            String change = "section.change[data-change='file.file_size'] ";
            until(Duration.ofSeconds(30), d -> {
                WebElement c = d.findElement(By.cssSelector(change.trim()));
                String rate = text(By.cssSelector("tr[data-job='" + BACKFILL + "'] td.rate"));
                return "JOBS".equals(c.getAttribute("data-step")) && rate.endsWith("rows/s") && !eta().equals("–") ? c : null;
            });
            // What the page shows during the backfill (it re-renders every 2 s: every read finds its element again)
            assertThat(text(By.cssSelector(change + ".stage"))).isEqualTo("jobs");
            assertThat(text(By.cssSelector(change + "h2"))).contains("integer → bigint");
            assertThat(text(By.cssSelector(change + "ol.steps li.current"))).isEqualTo("jobs");
            assertThat(text(By.cssSelector("tr[data-job='" + BACKFILL + "'] .state"))).isEqualTo("RUNNING");
            assertThat(percent()).isGreaterThan(0).isLessThan(100);
            assertThat(text(By.cssSelector("tr[data-job='" + BACKFILL + "'] td.rate"))).matches("[0-9][0-9,]* rows/s");
            assertThat(eta()).startsWith("about ").doesNotContain("PT").matches("about \\d+ (s|min)");
            assertThat(text(By.cssSelector("tr[data-job='" + BACKFILL + "'] td.phase"))).startsWith("copy");
            String others = "section.change tr.job:not([data-job='" + BACKFILL + "']) ";
            List<String> progress = retrying(() -> browser.findElements(By.cssSelector(others + "td.progress")).stream()
                    .map(WebElement::getText).toList());
            List<String> phases = retrying(() -> browser.findElements(By.cssSelector(others + "td.phase")).stream()
                    .map(WebElement::getText).toList());
            assertThat(progress).as("the index copy, validation and analyze jobs").hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(p -> assertThat(p).doesNotContain("0 / 0"));
            assertThat(phases).hasSameSizeAs(progress).allSatisfy(p -> assertThat(p).startsWith("waits for"));
            assertThat(text(By.cssSelector("tr.job td.num"))).as("pipeline order, backfill first").isEqualTo("1.");
            until(Duration.ofSeconds(30), d -> percent() >= 20 ? true : null);
            screenshot();

            // cancel asks first; dismissing changes nothing
            click(BACKFILL, "cancel");
            browser.switchTo().alert().dismiss();
            assertThat(state()).isEqualTo("RUNNING");

            click(BACKFILL, "pause");
            until(Duration.ofSeconds(10), d -> "PAUSED".equals(state()) ? true : null);
            until(Duration.ofSeconds(10), d -> text(By.cssSelector("tr[data-job='" + BACKFILL + "'] .state")).equals("PAUSED") ? true : null);
            assertThat(text(By.id("result"))).isEqualTo("pause " + BACKFILL + ": now PAUSED");
            assertThat(buttons(BACKFILL)).containsExactly("resume", "cancel");
            assertThat(eta()).as("no ETA for a paused job").isEqualTo("–");

            click(BACKFILL, "resume");
            until(Duration.ofSeconds(120), d -> "READY_FOR_CUTOVER".equals(d.findElement(By.cssSelector("section.change"))
                    .getAttribute("data-step")) ? true : null);
            assertThat(state()).isEqualTo("COMPLETED");
            assertThat(db.query("SELECT count(*) FROM file WHERE file_size_zdm IS DISTINCT FROM file_size")).isEqualTo("0");
            assertThat(text(By.cssSelector("section.change .stage"))).isEqualTo("ready for cutover");
            assertThat(text(By.cssSelector("ol.steps li.current"))).isEqualTo("ready for cutover");
            assertThat(text(By.cssSelector("tr[data-job='" + BACKFILL + "'] .pct"))).isEqualTo("100.0%");
            assertThat(buttons(BACKFILL)).isEmpty();
        }
    }

    @Test
    void aConfirmedCancelCancelsTheJobAndRetryPutsItBack() throws Exception {
        try (ConfigurableApplicationContext app = start("--management.endpoint.backfills.access=unrestricted",
                "--zdm.jobs.enabled=false")) {
            browser.get(url(app, "/actuator/zdm"));
            until(Duration.ofSeconds(20), d -> buttons(BACKFILL).contains("cancel") ? true : null);
            assertThat(buttons(BACKFILL)).containsExactly("pause", "cancel");

            click(BACKFILL, "cancel");
            assertThat(browser.switchTo().alert().getText()).contains("Cancel " + BACKFILL);
            browser.switchTo().alert().accept();
            until(Duration.ofSeconds(10), d -> "CANCELLED".equals(state()) ? true : null);
            until(Duration.ofSeconds(10), d -> buttons(BACKFILL).equals(List.of("retry")) ? true : null);
            assertThat(text(By.cssSelector("tr[data-job='" + BACKFILL + "'] .state"))).isEqualTo("CANCELLED");
            assertThat(text(By.id("result"))).isEqualTo("cancel " + BACKFILL + ": now CANCELLED");

            click(BACKFILL, "retry");
            until(Duration.ofSeconds(10), d -> "PENDING".equals(state()) ? true : null);
            until(Duration.ofSeconds(10), d -> text(By.cssSelector("tr[data-job='" + BACKFILL + "'] .state")).equals("PENDING") ? true : null);
            assertThat(text(By.id("result"))).isEqualTo("retry " + BACKFILL + ": now PENDING");
        }
    }

    @Test
    void aReadOnlyEndpointGetsNoButtonsAndAFailingOneABanner() throws Exception {
        ConfigurableApplicationContext app = start("--zdm.jobs.enabled=false");
        try {
            String hostile = "<img src=x onerror=\"document.title='pwned'\">";
            app.getBean(dev.zdm.jobs.Jobs.class).register(dev.zdm.jobs.JobDefinition.analyze(hostile, "file", List.of()));
            browser.get(url(app, "/actuator/zdm"));
            until(Duration.ofSeconds(20), d -> text(By.id("status")).contains("read-only") ? true : null);
            assertThat(text(By.cssSelector("section.other"))).as("a job name is text, not markup").contains(hostile);
            assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();
            assertThat(browser.getTitle()).doesNotContain("pwned");
            assertThat(browser.findElements(By.cssSelector("tr.job"))).isNotEmpty();
            assertThat(browser.findElements(By.cssSelector("button"))).isEmpty();
            assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        } finally {
            app.close();
        }
        until(Duration.ofSeconds(20), d -> d.findElement(By.id("error")).isDisplayed() ? true : null);
        assertThat(text(By.id("error"))).startsWith("Could not read /actuator/backfills:").contains("What you see is from");
        assertThat(browser.findElements(By.cssSelector("tr.job"))).as("the last data stays").isNotEmpty();
    }

    private String state() {
        return db.query("SELECT state FROM zdm_job WHERE name = '" + BACKFILL + "'");
    }

    private double percent() {
        return Double.parseDouble(text(By.cssSelector("tr[data-job='" + BACKFILL + "'] .pct")).replace("%", ""));
    }

    private String eta() {
        return text(By.cssSelector("tr[data-job='" + BACKFILL + "'] td.eta"));
    }

    private List<String> buttons(String job) {
        return retrying(() -> browser.findElements(By.cssSelector("tr[data-job='" + job + "'] button")).stream()
                .map(WebElement::getText).toList());
    }

    private void click(String job, String action) {
        retrying(() -> {
            browser.findElement(By.cssSelector("tr[data-job='" + job + "'] button[data-action='" + action + "']")).click();
            return null;
        });
    }

    private String text(By by) {
        return retrying(() -> browser.findElement(by).getText());
    }

    /** The page re-renders every 2 s: an element found just before may be gone. */
    private static <T> T retrying(java.util.function.Supplier<T> action) {
        for (int i = 0; ; i++) {
            try {
                return action.get();
            } catch (StaleElementReferenceException e) {
                if (i > 5) {
                    throw e;
                }
            }
        }
    }

    private <T> T until(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, timeout, Duration.ofMillis(200)).ignoring(StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class).until(condition::apply);
    }

    private void screenshot() throws Exception {
        Path png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of(System.getProperty("zdm.page.screenshot", "target/operator-page.png"));
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.copy(png, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String url(ConfigurableApplicationContext app, String path) {
        return "http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort() + path;
    }
}
