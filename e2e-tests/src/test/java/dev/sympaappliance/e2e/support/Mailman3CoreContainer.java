package dev.sympaappliance.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sympaappliance.builder.spec.DebianSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A Mailman 3 server to import lists from: Debian trixie's own {@code mailman3} package (the core
 * alone, 3.3.10) in an image built like ours (mmdebstrap base with its own package list, Jib
 * layer), with its administrative REST API on port {@value #REST_PORT} for the test to set lists up
 * and read them back, as Postorius or an importer would.
 *
 * <p>The entrypoint replaces Debian's {@code /etc/mailman3/mailman.cfg} (whose REST password the
 * package's postinst drew at random at image build time) with one for a container: the REST API on
 * 0.0.0.0 with user {@value #ADMIN_USER} and the container's MAILMAN_REST_PASSWORD, SQLite in
 * Debian's {@code /var/lib/mailman3/data/mailman.db}, no MTA integration (no Postfix maps are
 * written; the LMTP runner, when started, listens on 127.0.0.1:8024 only) and outgoing SMTP to
 * 127.0.0.1:25, where nothing listens: Mailman logs each recipient as a temporary failure (code
 * 444, "Connection refused") and keeps the message in its retry queue. The master runner runs as
 * user {@code list} (Debian's systemd unit runs {@code mailman start} as list) under the
 * entrypoint's shell, which passes {@code docker stop}'s signal on, and Mailman's log files are
 * followed on the container's output.
 *
 * <p>By default only the REST runner starts ({@link #REST_ONLY}): the API answers 5-7 s after the
 * container starts instead of 17-52 s (measured) with all twelve runners importing Mailman at once
 * on two busy cores, and nothing is delivered: a message Mailman makes (a welcome message, a
 * notice) stays in its queue, and no REST call waits for one. {@link #withAllRunners()} starts
 * every runner Mailman starts by default, for a test that needs mail to flow.
 *
 * <p>Mailman's REST API reads form fields or a JSON body; the helpers here send forms, as Mailman's
 * own client (mailmanclient) does, with booleans as "true"/"false".
 */
public final class Mailman3CoreContainer extends ShellContainer<Mailman3CoreContainer> {
  public static final int REST_PORT = 8001;
  public static final String ADMIN_USER = "restadmin";
  public static final String DEFAULT_PASSWORD = "mailman3-test-rest-password";
  public static final String CONFIG = "/etc/mailman3/mailman.cfg";

  /** The runners to start (MAILMAN_RUNNERS): the REST API's alone. */
  public static final String REST_ONLY = "rest";

  private static final String ENTRYPOINT =
      """
      #!/bin/sh
      # Test Mailman 3 core: Debian's mailman3, REST API on 0.0.0.0:8001, SQLite, no MTA.
      set -eu
      [ -n "${MAILMAN_REST_PASSWORD:-}" ] || { echo 'MAILMAN_REST_PASSWORD is not set' >&2; exit 1; }
      cfg=/etc/mailman3/mailman.cfg
      {
        cat <<EOF
      [mailman]
      site_owner: ${MAILMAN_SITE_OWNER:-mailman-owner@example.org}
      layout: debian

      [paths.debian]
      var_dir: /var/lib/mailman3
      queue_dir: \\$var_dir/queue
      bin_dir: /usr/lib/mailman3/bin
      list_data_dir: \\$var_dir/lists
      log_dir: /var/log/mailman3
      lock_dir: \\$var_dir/locks
      data_dir: \\$var_dir/data
      cache_dir: \\$var_dir/cache
      etc_dir: /etc/mailman3
      ext_dir: \\$var_dir/ext
      messages_dir: \\$var_dir/messages
      archive_dir: \\$var_dir/archives
      template_dir: \\$var_dir/templates
      pid_file: /run/mailman3/master.pid
      lock_file: \\$lock_dir/master.lck

      [database]
      class: mailman.database.sqlite.SQLiteDatabase
      url: sqlite:///\\$DATA_DIR/mailman.db

      [webservice]
      hostname: 0.0.0.0
      port: 8001
      use_https: no
      admin_user: restadmin
      admin_pass: $MAILMAN_REST_PASSWORD

      [mta]
      incoming: mailman.mta.null.NullMTA
      outgoing: mailman.mta.deliver.deliver
      smtp_host: 127.0.0.1
      smtp_port: 25
      lmtp_host: 127.0.0.1
      lmtp_port: 8024
      EOF
        # Runners not named in MAILMAN_RUNNERS do not start ("all": every runner Mailman starts by
        # default). `master -r` cannot do it: Mailman 3.3.10's master fails on its own -r values.
        if [ "${MAILMAN_RUNNERS:-all}" != all ]; then
          for runner in archive bounces command digest in lmtp nntp out pipeline rest retry task virgin; do
            case " $MAILMAN_RUNNERS " in
              *" $runner "*) ;;
              *) printf '\\n[runner.%s]\\nstart: no\\n' "$runner" ;;
            esac
          done
        fi
      } > "$cfg.new"
      chown root:list "$cfg.new"
      chmod 0640 "$cfg.new"
      mv "$cfg.new" "$cfg"
      install -d -o list -g list -m 0755 /run/mailman3
      rm -f /run/mailman3/master.pid
      # Mailman's logs to the container's output: its processes run as list, which cannot open
      # /dev/stdout (a pipe of root's, mode 0600), and they log to stderr only with -v, which the
      # master does not pass on to its runners. So follow the files (schema.cfg's logger paths).
      cd /var/log/mailman3
      for log in mailman.log smtp.log bounce.log plugins.log debug.log; do
        [ -e "$log" ] || install -o list -g list -m 0660 /dev/null "$log"
      done
      tail -q -n 0 -F mailman.log smtp.log bounce.log plugins.log debug.log &
      cd /var/lib/mailman3
      echo "test mailman3 core: starting (runners: ${MAILMAN_RUNNERS:-all})"
      # Not exec'd: Mailman's master waits for every child it has until none is left, and tail
      # would be one of them (docker stop waited 10 s for SIGKILL). This shell passes the stop
      # signal on and ends, with tail, when the master has stopped its runners.
      setpriv --reuid=list --regid=list --init-groups env MAILMAN_VAR_DIR=/var/lib/mailman3 \\
        /usr/lib/mailman3/bin/master --force -C "$cfg" &
      master=$!
      trap 'kill -TERM "$master" 2>/dev/null' TERM INT
      set +e
      while :; do
        wait "$master"
        status=$?
        kill -0 "$master" 2>/dev/null || break
      done
      exit "$status"
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String password;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public Mailman3CoreContainer() {
    this(DEFAULT_PASSWORD);
  }

  public Mailman3CoreContainer(String password) {
    super(Holder.IMAGE);
    this.password = password;
    withEnv("MAILMAN_REST_PASSWORD", password);
    withEnv("MAILMAN_RUNNERS", REST_ONLY);
    withExposedPorts(REST_PORT);
    withCreateContainerCmdModifier(cmd -> cmd.withHostName("mailman3"));
    waitingFor(
        Wait.forHttp("/3.1/system/versions")
            .forPort(REST_PORT)
            .withBasicCredentials(ADMIN_USER, password)
            .forStatusCode(200)
            .withStartupTimeout(Duration.ofSeconds(120)));
  }

  /** Starts every runner Mailman starts by default (in, out, virgin, digest, task, ...). */
  public Mailman3CoreContainer withAllRunners() {
    return withEnv("MAILMAN_RUNNERS", "all");
  }

  /** The REST API's root as the host reaches it, e.g. {@code http://localhost:32768/3.1}. */
  public String restUrl() {
    return "http://" + getHost() + ":" + getMappedPort(REST_PORT) + "/3.1";
  }

  public String adminUser() {
    return ADMIN_USER;
  }

  public String adminPassword() {
    return password;
  }

  /** Runs Debian's {@code mailman} command as user list, e.g. {@code cli("lists")}; its stdout. */
  public String cli(String... arguments) {
    StringBuilder command =
        new StringBuilder("setpriv --reuid=list --regid=list --init-groups mailman -C " + CONFIG);
    for (String argument : arguments) {
      command.append(' ').append(Shell.quote(argument));
    }
    return execOk(command.toString());
  }

  // ---- REST ----

  /** One response of the REST API: its status, its Location header (or null) and its body. */
  public record Response(int status, String location, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    /** The last path segment of Location: the id of what a POST made. */
    public String createdId() {
      if (location == null) {
        throw new IllegalStateException("no Location header (status " + status + "): " + body);
      }
      return location.substring(location.lastIndexOf('/') + 1);
    }
  }

  /** GET PATH (below {@link #restUrl()}, e.g. {@code /lists}), which must answer 200. */
  public Response get(String path) {
    return send("GET", path, null);
  }

  /** GET PATH as JSON. */
  public JsonNode getJson(String path) {
    return get(path).json();
  }

  /** POST PATH with these form fields, which must answer 2xx. */
  public Response post(String path, Map<String, String> form) {
    return send("POST", path, form);
  }

  /** PATCH PATH with these form fields, which must answer 2xx. */
  public Response patch(String path, Map<String, String> form) {
    return send("PATCH", path, form);
  }

  /** DELETE PATH, which must answer 2xx. */
  public Response delete(String path) {
    return send("DELETE", path, null);
  }

  private Response send(String method, String path, Map<String, String> form) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(restUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", basicAuth())
            .header("Accept", "application/json");
    if (form == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/x-www-form-urlencoded")
          .method(method, HttpRequest.BodyPublishers.ofString(formEncode(form)));
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          method
              + " "
              + path
              + (form == null ? "" : " " + form)
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return new Response(
        response.statusCode(),
        response.headers().firstValue("Location").orElse(null),
        response.body());
  }

  private String basicAuth() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((ADMIN_USER + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String formEncode(Map<String, String> form) {
    List<String> pairs = new ArrayList<>();
    form.forEach(
        (k, v) ->
            pairs.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return String.join("&", pairs);
  }

  // ---- Setting lists up ----

  /** Creates the domain MAIL_HOST (POST /domains). */
  public void createDomain(String mailHost) {
    post("/domains", Map.of("mail_host", mailHost));
  }

  /**
   * Creates the list FQDN_LISTNAME (e.g. team@lists.example.org) in its existing domain with
   * Mailman's default style; its list id (e.g. team.lists.example.org).
   */
  public String createList(String fqdnListname) {
    return post("/lists", Map.of("fqdn_listname", fqdnListname)).createdId();
  }

  /**
   * Creates a list with a named style: {@code legacy-default}, {@code legacy-announce} or {@code
   * private-default} (Mailman 3.3's); its list id.
   */
  public String createList(String fqdnListname, String styleName) {
    return post("/lists", Map.of("fqdn_listname", fqdnListname, "style_name", styleName))
        .createdId();
  }

  /**
   * PATCHes the list's settings (GET /lists/ID/config names them), e.g. display_name, description,
   * info, subject_prefix, default_member_action (accept, hold, reject, discard, defer),
   * default_nonmember_action, subscription_policy (open, confirm, moderate, confirm_then_moderate),
   * archive_policy (never, private, public), advertised ("true"/"false"), reply_goes_to_list
   * (no_munging, point_to_list, explicit_header, explicit_header_only), send_welcome_message.
   */
  public void configureList(String listId, Map<String, String> settings) {
    patch("/lists/" + listId + "/config", settings);
  }

  /**
   * Subscribes EMAIL to the list as a member named DISPLAY_NAME (none when null) with no
   * verification, confirmation, approval or welcome message; the new member's id.
   */
  public String addMember(String listId, String email, String displayName) {
    Map<String, String> form = memberForm(listId, email, displayName, "member");
    form.put("pre_verified", "true");
    form.put("pre_confirmed", "true");
    form.put("pre_approved", "true");
    form.put("send_welcome_message", "false");
    Response response = post("/members", form);
    if (response.status() != 201) {
      throw new IllegalStateException(
          "subscribing " + email + " is pending, not done: " + response.body());
    }
    return response.createdId();
  }

  /** Makes EMAIL an owner of the list; the membership's id. */
  public String addOwner(String listId, String email, String displayName) {
    return post("/members", memberForm(listId, email, displayName, "owner")).createdId();
  }

  /** Makes EMAIL a moderator of the list; the membership's id. */
  public String addModerator(String listId, String email, String displayName) {
    return post("/members", memberForm(listId, email, displayName, "moderator")).createdId();
  }

  private static Map<String, String> memberForm(
      String listId, String email, String displayName, String role) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("list_id", listId);
    form.put("subscriber", email);
    if (displayName != null) {
      form.put("display_name", displayName);
    }
    form.put("role", role);
    return form;
  }

  /**
   * Sets a membership's delivery mode: {@code regular}, {@code plaintext_digests}, {@code
   * mime_digests} or {@code summary_digests}.
   */
  public void setDeliveryMode(String memberId, String mode) {
    patch("/members/" + memberId + "/preferences", Map.of("delivery_mode", mode));
  }

  /**
   * Sets a membership's delivery status: {@code enabled}, or disabled {@code by_user} (the member's
   * own "no mail"), {@code by_moderator}, {@code by_bounces}, {@code unknown}.
   */
  public void setDeliveryStatus(String memberId, String status) {
    patch("/members/" + memberId + "/preferences", Map.of("delivery_status", status));
  }

  private static final class Holder {
    static final DockerImageName IMAGE =
        TestHelperImages.build(
            "sympa-appliance-e2e-mailman3:latest",
            DebianSuite.TRIXIE,
            // postfix and netbase: the base recipe's last step configures Postfix (not run here).
            List.of("mailman3", "postfix", "netbase"),
            ENTRYPOINT);
  }
}
