package dev.sympaappliance.e2e.support;

import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser, Debian's chromium in headless mode driven through Debian's chromedriver (no
 * browser is downloaded; {@link #CHROMIUM} and {@link #CHROMEDRIVER} say how to use another), that
 * reaches the web interface by its public name: requests to {@code host} port 80 go to the port
 * Docker published on 127.0.0.1, so the pages, cookies and redirects are those a visitor of the
 * real address gets. Every {@link #shot} is saved under {@code target/screenshots/SCENARIO/}.
 */
public final class WebBrowser implements AutoCloseable {
  /**
   * The browser: Debian's chromium, or $SYMPA_E2E_CHROME (GitHub's runners: their Google Chrome).
   */
  public static final String CHROMIUM =
      System.getenv().getOrDefault("SYMPA_E2E_CHROME", "/usr/bin/chromium");

  /** Its driver: Debian's chromedriver, or $SYMPA_E2E_CHROMEDRIVER (the runners' chromedriver). */
  public static final String CHROMEDRIVER =
      System.getenv().getOrDefault("SYMPA_E2E_CHROMEDRIVER", "/usr/bin/chromedriver");

  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /**
   * What a person's chromium says it is. Headless chromium says "HeadlessChrome", which Sympa
   * 6.2.76 counts among crawlers (Sympa::WWW::Crawlers), and it keeps no session for a crawler: no
   * confirmation page (subscribe, first password) could then be confirmed.
   */
  public static final String USER_AGENT =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

  private final ChromeDriver driver;
  private final String base;
  private final Path shots;
  private int step;

  /** A browser for the site {@code http://host/…} published on 127.0.0.1:{@code port}. */
  public WebBrowser(String host, int port, String scenario) {
    this("http", host, port, scenario);
  }

  /**
   * A browser for the site {@code scheme://host/…} published on 127.0.0.1:{@code port}; for https
   * it accepts the test's self-signed certificate.
   */
  public WebBrowser(String scheme, String host, int port, String scenario) {
    for (String program : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(Path.of(program))) {
        throw new IllegalStateException(
            program
                + " is missing: install Debian's chromium and chromium-driver"
                + " (.ci/run does), or name another Chrome and its chromedriver in SYMPA_E2E_CHROME and"
                + " SYMPA_E2E_CHROMEDRIVER");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    // As root, chromium runs only without its sandbox; /dev/shm may be small.
    int publicPort = scheme.equals("https") ? 443 : 80;
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--host-resolver-rules=MAP " + host + ":" + publicPort + " 127.0.0.1:" + port,
        "--user-agent=" + USER_AGENT);
    if (scheme.equals("https")) {
      options.addArguments("--ignore-certificate-errors");
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    base = scheme + "://" + host;
    shots = SCREENSHOTS.resolve(scenario);
  }

  /**
   * Opens {@code pathOrUrl}: a path on the site, or a whole URL (a link from a mail). Chromium
   * abandons a page load with ERR_NETWORK_CHANGED when the host's interfaces change, as they do
   * when Docker starts a container (a veth appears): such a load is tried again, up to 3 times.
   */
  public WebBrowser open(String pathOrUrl) {
    String url = pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl;
    driver.get(url);
    for (int retry = 0; retry < 3 && networkChanged(); retry++) {
      System.err.println("[browser] ERR_NETWORK_CHANGED loading " + url + ": loading it again");
      driver.get(url);
    }
    return this;
  }

  /**
   * Whether the page is chromium's error page for a load abandoned on a change of the host's
   * network.
   */
  private boolean networkChanged() {
    return !driver.findElements(By.id("main-frame-error")).isEmpty()
        && driver.getPageSource().contains("ERR_NETWORK_CHANGED");
  }

  /** Saves a screenshot of the page as it is now: NN-name.png. */
  public Path shot(String name) {
    Path target = shots.resolve(String.format("%02d-%s.png", ++step, name));
    try {
      Files.createDirectories(shots);
      Files.copy(
          driver.getScreenshotAs(OutputType.FILE).toPath(),
          target,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  public WebElement find(By by) {
    return new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> d.findElement(by));
  }

  public List<WebElement> findAll(By by) {
    return driver.findElements(by);
  }

  /** Types into the field named {@code name} (replacing what it held). */
  public WebBrowser type(String name, String text) {
    WebElement field = find(By.name(name));
    field.clear();
    field.sendKeys(text);
    return this;
  }

  /**
   * Clicks the submit control (input or button) named {@code name}, and waits for the next page.
   */
  public WebBrowser submit(String name) {
    WebElement control = find(By.cssSelector("[type=submit][name='" + name + "']"));
    control.click();
    waitForNextPage(control);
    return this;
  }

  /**
   * After a click on {@code clicked} that submits a form: the page it was on is gone (the click's
   * navigation has begun; a closing browser would cancel it) and the next one has loaded.
   */
  private void waitForNextPage(WebElement clicked) {
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .until(ExpectedConditions.stalenessOf(clicked));
    waitForPage();
  }

  public void waitForPage() {
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .until(
            d ->
                "complete"
                    .equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
  }

  public String title() {
    return driver.getTitle();
  }

  public String url() {
    return driver.getCurrentUrl();
  }

  /** The text a visitor sees on the page. */
  public String text() {
    return driver.findElement(By.tagName("body")).getText();
  }

  public Object script(String javascript, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(javascript, args);
  }

  /**
   * The value of {@code property} the browser computed for the first element {@code css} matches.
   */
  public String computedStyle(String css, String property) {
    return (String)
        script(
            "return getComputedStyle(document.querySelector(arguments[0])).getPropertyValue(arguments[1])",
            css,
            property);
  }

  /** The value of the cookie {@code name}, or null. */
  public String cookie(String name) {
    var cookie = driver.manage().getCookieNamed(name);
    return cookie == null ? null : cookie.getValue();
  }

  /** Whether the cookie {@code name} is marked Secure (sent over https only). */
  public boolean secureCookie(String name) {
    var cookie = driver.manage().getCookieNamed(name);
    return cookie != null && cookie.isSecure();
  }

  public void addCookie(String name, String value) {
    driver.manage().addCookie(new org.openqa.selenium.Cookie(name, value, "/"));
  }

  /**
   * Sympa asks to confirm some actions on a page of their own ("Confirm", "I am not a spammer").
   */
  public WebBrowser confirmIfAsked() {
    List<WebElement> confirm = findAll(By.id("response_action_confirm"));
    if (!confirm.isEmpty()) {
      shot("confirm-" + title().replaceAll("[^A-Za-z0-9]+", "-"));
      confirm.get(0).click();
      waitForNextPage(confirm.get(0));
    }
    return this;
  }

  /**
   * Sympa's first login, as its login page offers it: ask for a first password, open the link
   * mailed to {@code email} (read at {@code sink}), choose {@code password}. Ends logged in.
   */
  public WebBrowser firstLogin(
      SmtpSinkContainer sink, String email, String password, Duration mailDeadline)
      throws InterruptedException {
    return firstLogin(
        (address, prefix) -> sink.awaitLink(address, prefix, mailDeadline), email, password);
  }

  /**
   * Where a test reads the links Sympa mails: the first link starting with PREFIX in a mail to
   * ADDRESS.
   */
  public interface MailedLinks {
    public String await(String address, String prefix) throws InterruptedException;
  }

  public WebBrowser firstLogin(MailedLinks mail, String email, String password)
      throws InterruptedException {
    open("/sympa/firstpasswd");
    shot("first-password-form");
    type("email", email).submit("action_requestpasswd").confirmIfAsked();
    shot("first-password-requested");

    open(mail.await(email, base + "/sympa/ticket/"));
    shot("choose-password");
    type("newpasswd1", password).type("newpasswd2", password).submit("action_setpasswd");
    shot("password-chosen");
    if (!text().contains(email)) {
      throw new AssertionError(
          "not logged in as " + email + " after choosing a password: " + title());
    }
    return this;
  }

  /**
   * Logs in on Sympa's login page with {@code email} and {@code password}; ends logged in, or
   * fails.
   */
  public WebBrowser login(String email, String password) {
    open("/sympa/login");
    shot("login-form");
    type("email", email).type("passwd", password);
    // The page's own form: the menu bar has another action_login button (it only opens this page).
    WebElement go =
        find(
            By.xpath(
                "//input[@name='passwd']/ancestor::form//*[@type='submit'][@name='action_login']"));
    go.click();
    waitForNextPage(go);
    shot("logged-in");
    if (!text().contains(email)) {
      throw new AssertionError("not logged in as " + email + " with its password: " + title());
    }
    return this;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
