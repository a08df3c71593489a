package io.lungflow.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ScanLabelled;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.Credentials;
import io.lungflow.testkit.InjectInfrastructure;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.PostgresResource;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.lungflow.testkit.TopicReader;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A radiologist's review in headless Chromium (Debian's chromium and chromium-driver, which
 * .ci/run installs): the most urgent scan comes first with its image and the model's answer; the
 * number keys confirm a label; the next scan follows; each confirmation is on scans.labels.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(PostgresResource.class)
class ReviewPageIT {

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @InjectInfrastructure
    KafkaServer kafka;

    @InjectInfrastructure
    ObjectStore s3;

    @TestHTTPResource("/review.html")
    URL page;

    @Test
    void aReviewWithTheKeyboardSendsOneLabelEventPerScan() throws Exception {
        assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "SKIPPED: the browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run installs them)");
        List<String> scans = new ArrayList<>();
        try (Events events = new Events(kafka.bootstrapServers())) {
            // Higher COVID probabilities than any other test's scans, so these four lead the worklist in this order;
            // the fourth has no image in S3.
            for (double p : new double[] {0.99999, 0.99998, 0.99997, 0.99996}) {
                String id = ResultsIT.predictedScan(events, "m-review", "1", p);
                if (scans.size() < 3) {
                    storeImage(id);
                }
                scans.add(id);
            }
        }

        WebDriver browser = browser();
        try {
            browser.get(page.toString());
            WebDriverWait wait = new WebDriverWait(browser, WAIT);
            wait.withMessage(() -> "the page shows scan " + currentScan(browser) + ", status line \""
                    + browser.findElement(By.id("status")).getText() + "\", image line \""
                    + browser.findElement(By.id("image-status")).getText() + "\"");
            // Not signed in: the worklist is refused and the page asks for a radiologist's token.
            wait.until(d -> d.findElement(By.id("status")).getText().contains("could not be loaded"));
            browser.findElement(By.id("lungflow-token")).sendKeys(Credentials.token("dr.review@example.org", "radiologist"));
            browser.findElement(By.cssSelector("#lungflow-signin button")).click();
            wait.until(d -> scans.get(0).equals(currentScan(d)));
            assertThat(browser.findElement(By.id("lungflow-signin")).getText()).contains("Signed in as dr.review@example.org (radiologist)");
            wait.until(d -> imageLoaded(d));
            assertThat(browser.findElement(By.id("decision")).getText()).isEqualTo("covid");
            assertThat(browser.findElements(By.cssSelector("#buttons .label-button")))
                    .extracting(e -> e.getDomAttribute("data-label")).containsExactly("covid", "non-covid");

            press(browser, "1"); // covid
            wait.until(d -> scans.get(1).equals(currentScan(d)));
            assertThat(browser.findElement(By.id("status")).getText()).contains("as covid");

            press(browser, "j"); // skip the second for now
            wait.until(d -> scans.get(2).equals(currentScan(d)));
            press(browser, "2"); // non-covid
            // The next scan's image is missing: that is said beside the image, and the confirmation stays on the status line.
            wait.until(d -> scans.get(3).equals(currentScan(d))
                    && d.findElement(By.id("image-status")).getText().contains("could not be loaded"));
            assertThat(browser.findElement(By.id("status")).getText()).contains("as non-covid");
        } finally {
            browser.quit();
        }

        TopicReader reader = new TopicReader(kafka.bootstrapServers());
        ScanLabelled first = label(reader.await(Topics.SCANS_LABELS, e -> e.key().equals(scans.get(0)), WAIT));
        ScanLabelled third = label(reader.await(Topics.SCANS_LABELS, e -> e.key().equals(scans.get(2)), WAIT));
        assertThat(first.label()).isEqualTo("covid");
        assertThat(first.source()).isEqualTo(ScanLabelled.Source.REVIEW_PAGE);
        assertThat(first.reviewer()).startsWith("hmac-sha256:").doesNotContain("review");
        assertThat(first.agreesWithPrediction()).isTrue();
        assertThat(third.label()).isEqualTo("non-covid");
        assertThat(third.agreesWithPrediction()).isFalse();
        assertThat(reader.readAll(Topics.SCANS_LABELS)).noneMatch(e -> e.key().equals(scans.get(1)));
    }

    private static void press(WebDriver browser, String key) {
        new Actions(browser).sendKeys(key).perform();
    }

    private static String currentScan(WebDriver d) {
        return d.findElement(By.id("scan")).getDomAttribute("data-scan-id");
    }

    private static boolean imageLoaded(WebDriver d) {
        Object width = ((JavascriptExecutor) d).executeScript(
                "const i = document.getElementById('image'); return i.complete ? i.naturalWidth : 0;");
        return width instanceof Number n && n.intValue() == 32;
    }

    private static ScanLabelled label(TopicReader.Event e) throws Exception {
        return EventJson.mapper().readValue(e.value(), ScanLabelled.class);
    }

    private void storeImage(String scanId) throws Exception {
        MinioClient client = s3.client();
        if (!client.bucketExists(BucketExistsArgs.builder().bucket("scans").build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket("scans").build());
        }
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(16, 16, 0, 255);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        byte[] bytes = png.toByteArray();
        client.putObject(PutObjectArgs.builder().bucket("scans").object("it/" + scanId + ".png")
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType("image/png").build());
    }

    private static WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Without the background-networking switches Chromium keeps calling out, and this machine refuses it.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }
}
