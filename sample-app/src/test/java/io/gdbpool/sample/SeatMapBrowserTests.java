package io.gdbpool.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seat map in a real browser: Debian's headless Chromium driven through the system
 * chromedriver (nothing is downloaded). The page shows the seats, shows a change made in
 * the database by someone else without a reload (pushed over its event stream), and
 * clicking a free seat holds it: the seat's row is then locked in PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SeatMapBrowserTests extends SampleTestSupport {

	static final String CHROMIUM = "/usr/bin/chromium";

	static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private ChromeDriver browser;

	private ChromeDriverService service;

	private Path profile;

	@BeforeEach
	void startBrowser() throws IOException {
		// installed by scripts/provision.sh (provision_chromium); a missing one fails,
		// never skips
		assertThat(new File(CHROMIUM).canExecute()).as("Debian's chromium (apt-get install chromium)").isTrue();
		assertThat(new File(CHROMEDRIVER).canExecute()).as("Debian's chromium-driver (apt-get install chromium-driver)")
			.isTrue();
		System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER);
		this.profile = Files.createTempDirectory("sample-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--disable-quic", "--window-size=1180,760", "--user-data-dir=" + this.profile);
		this.service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(this.service, options);
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.service != null) {
			this.service.stop();
		}
		if (this.profile != null) {
			FileSystemUtils.deleteRecursively(this.profile.toFile());
		}
	}

	@Test
	void seatMapUpdatesLiveAndClickingASeatHoldsIt(TestInfo test) throws Exception {
		try {
			this.browser.get(baseUrl() + "/");
			WebDriverWait wait = new WebDriverWait(this.browser, Duration.ofSeconds(15));
			// "live": the event stream is open and the seat map was loaded after it
			wait.until(ExpectedConditions.attributeToBe(By.id("live"), "data-live", "true"));
			List<WebElement> seats = this.browser.findElements(By.cssSelector("button.seat"));
			assertThat(seats).hasSizeGreaterThanOrEqualTo(40);
			assertThat(seat(1).getText()).isEqualTo("A1");
			assertThat(seat(1).getAttribute("data-state")).isEqualTo("free");
			assertThat(this.browser.findElement(By.id("served-by")).getText()).startsWith("gdbpool-primary");

			// someone else books seats straight in the database: the page shows it
			// without a reload. A mark left on this page proves it is the same page
			// afterwards (a reload would wipe it)
			this.browser.executeScript("window.gdbpoolTestMark = 'not reloaded';");
			bookFromOutside(12, "psql-user");
			wait.until(ExpectedConditions.attributeToBe(seat(12), "data-state", "booked"));
			assertThat(seat(12).getAttribute("title")).isEqualTo("B4: booked by psql-user");
			bookFromOutside(20, "someone");
			wait.until(ExpectedConditions.attributeToBe(seat(20), "data-state", "booked"));
			assertThat(this.browser.executeScript("return window.gdbpoolTestMark;")).isEqualTo("not reloaded");
			assertThat(this.browser.findElement(By.id("live")).getAttribute("data-live")).isEqualTo("true");

			// clicking a free seat holds it: the page offers confirm/release, and the row
			// is locked
			seat(19).click();
			wait.until(ExpectedConditions.attributeToBe(seat(19), "data-state", "mine"));
			assertThat(this.browser.findElement(By.id("hold-panel")).isDisplayed()).isTrue();
			assertThat(this.browser.findElement(By.id("hold-seat")).getText()).isEqualTo("Seat C3");
			assertThat(this.browser.findElement(By.id("confirm")).isDisplayed()).isTrue();
			assertThat(this.browser.findElement(By.id("release")).isDisplayed()).isTrue();
			assertThat(tryLockFromOutside(19)).isEqualTo(Problems.LOCK_NOT_AVAILABLE);
			assertThat(this.holds.heldSeats()).containsExactly(19);

			// a hold taken by another client shows as held, live
			Response other = call(org.springframework.http.HttpMethod.POST, "/seats/27/hold");
			assertThat(other.status()).isEqualTo(201);
			wait.until(ExpectedConditions.attributeToBe(seat(27), "data-state", "held"));
			assertThat(this.browser.executeScript("return window.gdbpoolTestMark;")).isEqualTo("not reloaded");

			this.browser.findElement(By.id("name")).sendKeys("Grace");
			saveScreenshot(Path.of("target", "sample-app.png"));
			if (Boolean.getBoolean("sample.updateDocsScreenshot")) {
				// refreshes the README's picture: mvn -pl sample-app verify
				// -Dsample.updateDocsScreenshot=true
				saveScreenshot(docsScreenshot());
			}

			// confirming books the seat for that name and ends the lock
			this.browser.findElement(By.id("confirm")).click();
			wait.until(ExpectedConditions.attributeToBe(seat(19), "data-state", "booked"));
			assertThat(seat(19).getAttribute("title")).isEqualTo("C3: booked by Grace");
			assertThat(bookedBy(19)).isEqualTo("Grace");
			assertThat(tryLockFromOutside(19)).isEqualTo("locked");
			assertThat(this.browser.findElement(By.id("hold-panel")).isDisplayed()).isFalse();
		}
		catch (Throwable failure) {
			Path shot = Path.of("target", "selenium-" + test.getTestMethod().orElseThrow().getName() + ".png");
			saveScreenshot(shot);
			failure.addSuppressed(new AssertionError("Screenshot of the page: " + shot.toAbsolutePath()));
			throw failure;
		}
	}

	private WebElement seat(int id) {
		return this.browser.findElement(By.id("seat-" + id));
	}

	private void bookFromOutside(int seatId, String name) throws Exception {
		try (Connection connection = connect();
				PreparedStatement update = connection
					.prepareStatement("UPDATE sample_seat SET booked_by = ? WHERE id = ?")) {
			update.setString(1, name);
			update.setInt(2, seatId);
			assertThat(update.executeUpdate()).isEqualTo(1);
		}
	}

	private void saveScreenshot(Path target) throws IOException {
		File shot = this.browser.getScreenshotAs(OutputType.FILE);
		Files.createDirectories(target.toAbsolutePath().getParent());
		Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

	/** docs/sample-app.png in the project (the module's parent directory). */
	private static Path docsScreenshot() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.exists(dir.resolve("scripts/sample.sh"))) {
			dir = dir.getParent();
		}
		assertThat(dir).as("the project directory (with scripts/sample.sh) above " + Path.of("").toAbsolutePath())
			.isNotNull();
		return dir.resolve("docs/sample-app.png");
	}

}
