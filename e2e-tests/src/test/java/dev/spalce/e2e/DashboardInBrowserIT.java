package dev.spalce.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.testsupport.OidcTokens;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real Chromium against the five running services: an Owner signs in by the code flow,
 * creates a workspace, registers a key, uploads and downloads a file (the same bytes), adds a Viewer and invites
 * an auditor, reveals one of the personnel the page lists masked (the list it loaded holds no PII), rotates and watches the rewrap's progress bar reach 100 %, and verifies the audit chain; the
 * Viewer sees no upload control and is refused when forcing one; the auditor accepts the invitation and reads
 * the audit log, read-only. Any console error or CSP violation on the dashboard fails the test.
 */
class DashboardInBrowserIT extends AgainstRunningSuite {

    private static final Duration REWRAP_WAIT = Duration.ofSeconds(120);

    @Test
    void ownerViewerAndAuditor_useTheDashboard_withinTheirRoles() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String owner = "owner-" + run;
        String viewer = "viewer-" + run;
        String auditor = "auditor-" + run;
        byte[] file = new byte[300_000];
        new SecureRandom().nextBytes(file);
        Path upload = Files.createTempFile("evidence-" + run + "-", ".bin");
        Files.write(upload, file);
        String uploadName = upload.getFileName().toString();

        try (DashboardBrowser browser = DashboardBrowser.start(suite.gatewayTlsUrl())) {
            try {
                // Sign in and create a workspace.
                browser.signIn(owner, owner + "@example.com");
                browser.waitFor(By.id("create-workspace"));
                browser.screenshot("01-workspaces");
                browser.type(By.id("workspace-name"), "Dashboard " + run);
                browser.click(By.cssSelector("#create-workspace button[type=submit]"));
                String workspace = browser.waitUntil(Duration.ofSeconds(30), driver -> {
                    String url = driver.getCurrentUrl();
                    return url.contains("#/w/") && url.endsWith("/members")
                            ? url.replaceAll(".*#/w/([^/]+)/.*", "$1")
                            : null;
                });
                browser.waitFor(By.id("add-member"));

                // Register a key.
                browser.open("#/w/" + workspace + "/keys");
                Select provider = new Select(browser.waitFor(By.id("key-provider")));
                // The page asked for the workspace's key first: none yet (404), which is why it offers to register one.
                browser.checkConsole(
                        message -> message.contains("/keys - Failed to load resource") && message.contains("404"));
                provider.selectByValue("local");
                browser.click(By.cssSelector("#register-key button[type=submit]"));
                assertThat(browser.waitFor(By.id("key-current-version")).getText())
                        .isEqualTo("1");
                assertThat(browser.driver()
                                .findElement(By.id("key-provider-value"))
                                .getText())
                        .isEqualTo("local");
                browser.screenshot("02-keys");

                // Upload a file (the progress bar fills), then download it: the same bytes.
                browser.open("#/w/" + workspace + "/evidence");
                browser.waitFor(By.id("evidence-file")).sendKeys(upload.toString());
                browser.click(By.cssSelector("#upload-evidence button[type=submit]"));
                browser.waitUntil(
                        Duration.ofSeconds(60),
                        driver -> driver.findElements(By.xpath("//table//td[text()='" + uploadName + "']"))
                                        .isEmpty()
                                ? null
                                : true);
                browser.click(By.xpath("//tr[td[text()='" + uploadName + "']]//button[text()='Download']"));
                // Saved under the name the server gives (Content-Disposition wins over the link's download name).
                Path downloaded = browser.waitUntil(Duration.ofSeconds(60), driver -> browser.downloaded(file.length));
                assertThat(Files.readAllBytes(downloaded)).isEqualTo(file);
                // One file, one page: no "More".
                assertThat(browser.driver().findElement(By.id("more")).isDisplayed())
                        .isFalse();
                browser.screenshot("03-evidence");
                browser.phoneScreenshot("03-evidence");

                // Add a Viewer; invite an auditor and get the link.
                browser.open("#/w/" + workspace + "/members");
                browser.type(By.id("member-subject"), viewer);
                new Select(browser.waitFor(By.id("member-role"))).selectByValue("VIEWER");
                browser.click(By.cssSelector("#add-member button[type=submit]"));
                browser.waitUntil(
                        Duration.ofSeconds(30),
                        driver -> driver.findElements(By.xpath("//table//td[text()='" + viewer + "']"))
                                        .isEmpty()
                                ? null
                                : true);
                browser.type(By.id("auditor-email"), auditor + "@example.com");
                browser.click(By.cssSelector("#invite-auditor button[type=submit]"));
                String invitation = browser.waitFor(By.id("invitation-link")).getAttribute("value");
                assertThat(invitation).startsWith(suite.gatewayTlsUrl() + "invitation#");
                browser.screenshot("04-members");

                // Records for the rewrap to move, and for the other pages to show.
                seed(owner, workspace, run);
                for (String page : List.of("check-results", "personnel", "integrations")) {
                    browser.open("#/w/" + workspace + "/" + page);
                    browser.waitFor(By.cssSelector("main table"));
                    browser.screenshot("05-" + page);
                }

                // Personnel: what the page loaded holds no personal data; "Reveal" reads that one record.
                browser.driver().executeScript("performance.clearResourceTimings()");
                browser.open("#/w/" + workspace + "/personnel");
                browser.waitFor(By.cssSelector("main table"));
                Object listed = browser.driver().executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        const loaded = performance.getEntriesByType('resource').map((e) => e.name)
                            .filter((name) => name.includes('/personnel?')).pop();
                        fetch(loaded).then((r) => r.text()).then(done, (e) => done(String(e)));
                        """);
                assertThat((String) listed)
                        .contains("\"department\":\"Security\"")
                        .doesNotContain("@example.com", "Person 0", "QQ12345", "+44 20 7946");
                browser.click(By.xpath("//main//tbody/tr[1]//button[text()='Reveal']"));
                browser.waitUntil(
                        Duration.ofSeconds(30),
                        driver -> driver.findElement(By.xpath("//main//tbody/tr[1]/td[2]"))
                                        .getText()
                                        .equals("person0-" + run + "@example.com")
                                ? true
                                : null);
                assertThat(browser.driver()
                                .findElement(By.xpath("//main//tbody/tr[1]/td[1]"))
                                .getText())
                        .isEqualTo("Person 0");
                assertThat(browser.driver()
                                .findElement(By.xpath("//main//tbody/tr[2]/td[2]"))
                                .getText())
                        .isEqualTo("•••••");
                browser.screenshot("05-personnel-revealed");

                // Rotate: the rewrap's progress bar reaches 100 %.
                browser.open("#/w/" + workspace + "/keys");
                browser.click(By.id("rotate-now"));
                browser.waitFor(By.id("rewrap-progress"));
                browser.waitUntil(
                        REWRAP_WAIT,
                        driver -> "100"
                                        .equals(driver.findElement(By.id("rewrap-progress"))
                                                .getAttribute("value"))
                                ? true
                                : null);
                assertThat(browser.driver()
                                .findElement(By.id("rewrap-progress-text"))
                                .getText())
                        .contains("100 %");
                browser.screenshot("06-rewrap");

                // Verify the audit chain on the page.
                browser.open("#/w/" + workspace + "/audit");
                browser.click(By.id("verify-chain"));
                browser.waitUntil(
                        Duration.ofSeconds(30),
                        driver -> driver.findElement(By.id("verification-result"))
                                        .getText()
                                        .startsWith("Chain intact")
                                ? true
                                : null);
                browser.screenshot("07-audit");
                browser.signOut();

                // The Viewer: no upload control, and forcing an upload is refused by the server.
                browser.signIn(viewer, viewer + "@example.com");
                browser.open("#/w/" + workspace + "/evidence");
                browser.waitFor(By.cssSelector("main table"));
                assertThat(browser.driver().findElements(By.id("upload-evidence")))
                        .isEmpty();
                assertThat(browser.driver().findElements(By.xpath("//button[text()='Delete']")))
                        .isEmpty();
                Object status = browser.driver().executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        fetch('/app/session').then((r) => r.json()).then((me) => fetch(
                            '/app/api/v1/workspaces/' + arguments[0] + '/evidence?name=forced.txt',
                            { method: 'POST', headers: { 'X-CSRF-Token': me.csrfToken, 'Content-Type': 'text/plain' },
                              body: 'forced' })).then((r) => done(r.status), (e) => done(String(e)));
                        """, workspace);
                assertThat(status).isEqualTo(403L);
                browser.checkConsole(
                        message -> message.contains("/evidence?name=forced.txt") && message.contains("403"));
                browser.screenshot("08-evidence-as-viewer");
                browser.signOut();

                // The auditor: opens the link, signs in, accepts, and reads the audit log without any control to change
                // it.
                browser.driver().get(invitation);
                browser.completeSignIn(auditor, auditor + "@example.com");
                browser.click(By.id("accept-invitation"));
                browser.waitUntil(
                        Duration.ofSeconds(30), driver -> driver.getCurrentUrl().endsWith("/audit") ? true : null);
                browser.waitFor(By.cssSelector("main table"));
                assertThat(browser.driver()
                                .findElement(By.cssSelector("main .badge"))
                                .getText())
                        .isEqualTo("AUDITOR");
                browser.click(By.id("verify-chain"));
                browser.waitUntil(
                        Duration.ofSeconds(30),
                        driver -> driver.findElement(By.id("verification-result"))
                                        .getText()
                                        .startsWith("Chain intact")
                                ? true
                                : null);
                browser.screenshot("09-audit-as-auditor");
                assertThat(browser.driver().findElements(By.cssSelector("main form.inline, main button.danger")))
                        .isEmpty();
                browser.open("#/w/" + workspace + "/keys");
                browser.waitFor(By.id("key-facts"));
                assertThat(browser.driver().findElements(By.id("rotate-now"))).isEmpty();
                browser.checkConsole();
            } catch (Throwable failure) {
                browser.keepFailure();
                throw failure;
            }
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    /** 200 check results in one run, a few people and an integration, through the API as the Owner. */
    private static void seed(String owner, String workspace, String run) {
        String token = OidcTokens.user(owner);
        String base = "/api/v1/workspaces/" + workspace;
        List<Map<String, Object>> results = IntStream.range(0, 200)
                .mapToObj(i -> Map.<String, Object>of(
                        "controlId",
                        "CC" + (i % 9 + 1) + "." + (i % 5 + 1),
                        "status",
                        i % 7 == 0 ? "fail" : "pass",
                        "details",
                        "finding " + i))
                .toList();
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("runId", "scan-" + run, "results", results))
                .when()
                .post(gateway(base + "/check-results/batch"))
                .then()
                .statusCode(201);
        for (int i = 0; i < 3; i++) {
            given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "fullName",
                            "Person " + i,
                            "email",
                            "person" + i + "-" + run + "@example.com",
                            "phone",
                            "+44 20 7946 000" + i,
                            "governmentId",
                            "QQ12345" + i + "C",
                            "department",
                            "Security"))
                    .when()
                    .post(gateway(base + "/personnel"))
                    .then()
                    .statusCode(201);
        }
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "kind",
                        "api-token",
                        "name",
                        "Ticketing",
                        "credentials",
                        Map.of("token", "tkn-" + run + "-secret")))
                .when()
                .post(gateway(base + "/integrations"))
                .then()
                .statusCode(201);
    }
}
