package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.LIST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Shell;
import dev.sympaappliance.e2e.support.Spool;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * When the spool cannot take a message, mail is deferred (Postfix retries), never bounced; once the
 * fault is repaired and the queue flushed, the message lands exactly once.
 */
class SpoolGuardIT {
  private static final String MSG = ToolsApplianceContainer.MSG_SPOOL;
  private static final String CONF = "/etc/sympa/sympa/sympa.conf";
  private static final String QUEUE = "/usr/lib/sympa/bin/queue";
  private static final String RESTORE_QUEUE = "mv " + QUEUE + ".real " + QUEUE;

  /**
   * The body of a stand-in that spools like queue: T.RECIPIENT.TIME.PID renamed to
   * RECIPIENT.TIME.PID.
   */
  private static final String SPOOLS_LIKE_QUEUE =
      """
      name="$1.$(date +%s).$$"
      cd /var/spool/sympa/msg
      { printf 'X-Sympa-To: %s\\n' "$1"; cat; } > "T.$name"
      mv "T.$name" "$name"
      """;

  /**
   * Keeps Sympa's queue aside ({@link #RESTORE_QUEUE} puts it back) and puts a shell script with
   * BODY in its place.
   */
  static String standInForQueue(String body) {
    return "set -e\nmv "
        + QUEUE
        + " "
        + QUEUE
        + ".real\ncat > "
        + QUEUE
        + " <<'EOF'\n#!/bin/sh\n"
        + body
        + "EOF\nchmod 0755 "
        + QUEUE;
  }

  enum Fault {
    SPOOL_MISSING("rm -rf " + MSG, "install -d -o sympa -g sympa -m 0771 " + MSG, "is missing"),
    SPOOL_NOT_WRITABLE(
        "chown root:root " + MSG + " && chmod 0755 " + MSG,
        "chown sympa:sympa " + MSG + " && chmod 0771 " + MSG,
        "is not writable"),
    SYMPA_CONF_UNREADABLE(
        "chown root:root " + CONF + " && chmod 0600 " + CONF,
        "chown sympa:sympa " + CONF + " && chmod 0640 " + CONF,
        "is not readable"),
    // A 2 MB tmpfs spool, filled by root: queue would write a truncated file and exit 0. Only on
    // the tmpfs, and at most its 2 MB: never the host's disk.
    SPOOL_FULL(
        "[ \"$(stat -f -c %T "
            + MSG
            + ")\" = tmpfs ] && { dd if=/dev/zero of="
            + MSG
            + "/.filler bs=64k count=32"
            + " 2>/dev/null || [ \"$(stat -f -c %a "
            + MSG
            + ")\" = 0 ]; }",
        "rm -f " + MSG + "/.filler",
        "KB free"),
    // queue killed by a signal (an OOM kill, say): its exit status is not the message's fault.
    TOOL_KILLED(standInForQueue("kill -9 $$\n"), RESTORE_QUEUE, "was killed by signal 9"),
    // queue failing on its own with a status pipe(8) would bounce (77, as when it cannot enter
    // its spool): deferred, with its words.
    TOOL_FAILS(
        standInForQueue("echo cannot enter the spool >&2\nexit 77\n"),
        RESTORE_QUEUE,
        "failed with status 77 cannot enter the spool"),
    // queue writing its T. file but failing to rename it (it ignores rename errors) and exiting 0:
    // not delivered, so deferred, and the stray T. file removed.
    TOOL_DOES_NOT_RENAME(
        standInForQueue("cd " + MSG + " && cat > \"T.$1.$(date +%s).$$\"\n"),
        RESTORE_QUEUE,
        "unrenamed (removed)");

    final String breakIt;
    final String repair;
    final String reason;

    Fault(String breakIt, String repair, String reason) {
      this.breakIt = breakIt;
      this.repair = repair;
      this.reason = reason;
    }
  }

  /**
   * Control: the same fault with queue called directly, as the how-to has it, bounces the message.
   */
  @org.junit.jupiter.api.Test
  void withoutTheGuardAMissingSpoolBouncesTheMessage() throws Exception {
    try (ToolsApplianceContainer appliance =
        new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME)) {
      appliance.start();
      appliance.execOk(
          "postconf -F 'sympa/unix/command=pipe flags=R user=sympa argv=/usr/lib/sympa/bin/queue ${recipient}'"
              + " && postfix reload");
      appliance.execOk(Fault.SPOOL_MISSING.breakIt);
      String token = "unguarded-" + UUID.randomUUID();

      appliance.sendWithMail(LIST + "@" + DOMAIN, "while the spool is broken", token);

      String mailbox =
          Poll.until(
              () -> appliance.localMailbox("root"),
              box -> box.contains(token),
              Duration.ofSeconds(30),
              Duration.ofMillis(200));
      assertThat(mailbox)
          .as("the bounce returned to the sender")
          .contains("Undelivered Mail Returned to Sender")
          .contains(token);
      assertThat(appliance.deferredRecipients()).isEmpty();
    }
  }

  /**
   * Sympa's queue sleeps 1 s after spooling each message; the guard reports the delivery as soon as
   * queue's file is in the spool under its final name. A stand-in tool spools the same way and then
   * sleeps an hour: Postfix logs the delivery as sent while the tool still sleeps (waiting for its
   * exit, pipe(8) would hold the delivery for the hour), and PID 1 (Postfix's master) has adopted
   * the tool.
   */
  @org.junit.jupiter.api.Test
  void deliveryIsReportedOnceTheFileIsInTheSpoolWhileTheToolSleeps() throws Exception {
    try (ToolsApplianceContainer appliance =
        new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME)) {
      appliance.start();
      appliance.execOk(standInForQueue(SPOOLS_LIKE_QUEUE + "exec sleep 3600\n"));
      String token = "early-" + UUID.randomUUID();
      String address = LIST + "@" + DOMAIN;

      appliance.sendWithMail(address, "reported at the rename", token);

      List<Spool.SpoolFile> files =
          appliance.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30));
      assertThat(files).hasSize(1);
      assertThat(files.get(0).firstLine()).isEqualTo("X-Sympa-To: " + address);
      String sent =
          Poll.until(
              appliance::getLogs,
              logs -> logs.contains("relay=sympa") && logs.contains("status=sent"),
              Duration.ofSeconds(30),
              Duration.ofMillis(100));
      assertThat(sent).contains("to=<" + address + ">, relay=sympa");
      assertThat(appliance.queuedMessages()).isEmpty();
      String sleepers =
          appliance.execOk(
              "for p in /proc/[0-9]*; do"
                  + " [ \"$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)\" = 'sleep 3600 ' ]"
                  + " && sed -n 's/^PPid:\\t//p' $p/status;"
                  + " done; true");
      assertThat(sleepers.strip()).as("parent pid of the still sleeping tool").isEqualTo("1");
    }
  }

  /**
   * queue killed in its sleep, after its file is in the spool (an OOM kill, say): the message is
   * delivered, once, not deferred (a deferral would spool it twice).
   */
  @org.junit.jupiter.api.Test
  void aToolKilledAfterSpoolingCountsAsDelivered() throws Exception {
    try (ToolsApplianceContainer appliance =
        new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME)) {
      appliance.start();
      appliance.execOk(standInForQueue(SPOOLS_LIKE_QUEUE + "kill -9 $$\n"));
      String token = "killed-after-" + UUID.randomUUID();
      String address = LIST + "@" + DOMAIN;

      appliance.sendWithMail(address, "killed in its sleep", token);

      assertThat(appliance.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30)))
          .hasSize(1);
      assertThat(
              Poll.<List<String>>until(
                  appliance::queuedMessages,
                  List::isEmpty,
                  Duration.ofSeconds(30),
                  Duration.ofMillis(100)))
          .as("Postfix's queue")
          .isEmpty();
      assertThat(appliance.getLogs())
          .contains("to=<" + address + ">, relay=sympa")
          .contains("status=sent")
          .doesNotContain("status=deferred");
      assertThat(appliance.msgSpool().filesContaining(token)).hasSize(1);
      assertThat(appliance.localMailbox("root")).isEmpty();
    }
  }

  /**
   * The guard looks for queue's file under the name queue makes, RECIPIENT.TIME.PID, however long
   * the recipient (older queue versions cut names at 128 bytes; then the guard would wait for
   * queue's exit): a 129-character recipient lands once, under its full name.
   */
  @org.junit.jupiter.api.Test
  void aLongRecipientLandsOnceUnderQueuesFullFileName() throws Exception {
    // The kernel takes host names of up to 64 characters; Postfix's myhostname is mx.LONG_DOMAIN.
    try (ToolsApplianceContainer appliance =
        new ToolsApplianceContainer(ApplianceImages.longDomain(), "mx")) {
      appliance.start();
      String address = LIST + "@" + ApplianceImages.LONG_DOMAIN;
      String token = "long-" + UUID.randomUUID();

      appliance.sendWithMail(address, "a long recipient", token);

      List<Spool.SpoolFile> files =
          appliance.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30));
      assertThat(files).hasSize(1);
      assertThat(files.get(0).firstLine()).isEqualTo("X-Sympa-To: " + address);
      assertThat(files.get(0).name())
          .matches(java.util.regex.Pattern.quote(address) + "\\.[0-9]+\\.[0-9]+");
      assertThat(
              Poll.<List<String>>until(
                  appliance::queuedMessages,
                  List::isEmpty,
                  Duration.ofSeconds(30),
                  Duration.ofMillis(100)))
          .as("Postfix's queue")
          .isEmpty();
      assertThat(appliance.getLogs())
          .contains("to=<" + address + ">, relay=sympa")
          .contains("status=sent")
          .doesNotContain("status=deferred")
          .doesNotContain("status=bounced");
      assertThat(appliance.msgSpool().filesContaining(token)).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void faultDefersTheMessageAndRepairDeliversItOnce(Fault fault) throws Exception {
    try (ToolsApplianceContainer appliance =
        new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME)) {
      if (fault == Fault.SPOOL_FULL) {
        appliance.withTmpFs(Map.of(MSG, "rw,size=2m,uid=900,gid=900,mode=0771"));
      }
      appliance.start();
      appliance.execOk(fault.breakIt);
      String token = "guard-" + UUID.randomUUID();
      String address = LIST + "@" + DOMAIN;

      appliance.sendWithMail(address, "while the spool is broken", token);

      List<String> deferred = appliance.awaitDeferred(1, Duration.ofSeconds(30));
      assertThat(deferred)
          .singleElement()
          .asString()
          .startsWith(address + ": ")
          .contains(fault.reason);
      assertThat(appliance.queuedMessages())
          .as("only the message itself: no bounce queued")
          .hasSize(1);
      assertThat(appliance.localMailbox("root")).as("no bounce delivered to the sender").isEmpty();
      assertThat(appliance.msgSpool().filesContaining(token)).isEmpty();
      // The guard's reason says "(removed)" whether or not its unlink worked: look at the spool
      // itself.
      assertThat(appliance.msgSpool().temporaryFiles())
          .as("queue's T. files left in the spool")
          .isEmpty();

      appliance.execOk(fault.repair);
      appliance.execOk("postqueue -f");

      List<Spool.SpoolFile> files =
          appliance.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30));
      assertThat(files).as("landed after the repair").hasSize(1);
      assertThat(files.get(0).firstLine()).isEqualTo("X-Sympa-To: " + address);
      assertThat(appliance.queuedMessages()).isEmpty();
      assertThat(appliance.localMailbox("root")).isEmpty();
    }
  }

  /**
   * The guard wants 1 MB (master.cf's 1024 KB) plus the message's size free: with a 200 KB message,
   * less than that (by under 4 KB, tmpfs's page) defers it, that much (plus under 4 KB) delivers
   * it. A guard that checked only for some free space, or for 1 MB without the message, would
   * deliver at the first step.
   */
  @org.junit.jupiter.api.Test
  void theSpoolMustHaveOneMegabytePlusTheMessageFree() throws Exception {
    try (ToolsApplianceContainer appliance =
        new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME)) {
      appliance.withTmpFs(Map.of(MSG, "rw,size=2m,uid=900,gid=900,mode=0771"));
      appliance.start();
      String token = "margin-" + UUID.randomUUID();
      String address = LIST + "@" + DOMAIN;
      assertThat(leaveFree(appliance, 4)).isEqualTo(4);
      appliance.execOk(
          "{ echo "
              + token
              + "; head -c 200000 /dev/zero | tr '\\0' x | fold -w 72; }"
              + " | mail -s 'a 200 KB message' "
              + address);

      String reason = appliance.awaitDeferred(1, Duration.ofSeconds(30)).get(0);
      java.util.regex.Matcher free =
          java.util.regex.Pattern.compile("has ([0-9]+) KB free, needs ([0-9]+) KB")
              .matcher(reason);
      assertThat(free.find()).as("reason: %s", reason).isTrue();
      long needed = Long.parseLong(free.group(2));
      java.util.regex.Matcher size =
          java.util.regex.Pattern.compile("\"message_size\": *([0-9]+)")
              .matcher(appliance.execOk("postqueue -j"));
      assertThat(size.find()).isTrue();
      long messageKb = Long.parseLong(size.group(1)) / 1024;
      assertThat(messageKb).as("the message's size in KB").isGreaterThan(190);
      assertThat(needed)
          .as("KB the guard needs: 1024 + the message's size")
          .isEqualTo(1024 + messageKb);

      // tmpfs counts free space in 4 KB pages: the nearest amounts below and at-or-above the need.
      long under = (needed - 1) / 4 * 4;
      long over = (needed + 3) / 4 * 4;
      assertThat(leaveFree(appliance, under)).isEqualTo(under);
      appliance.execOk("postqueue -f");
      List<String> again =
          Poll.until(
              appliance::deferredRecipients,
              deferred ->
                  deferred.size() == 1 && deferred.get(0).contains("has " + under + " KB free"),
              Duration.ofSeconds(30),
              Duration.ofMillis(200));
      assertThat(again)
          .singleElement()
          .asString()
          .contains("has " + under + " KB free, needs " + needed + " KB");
      assertThat(appliance.msgSpool().filesContaining(token)).isEmpty();

      assertThat(leaveFree(appliance, over)).isEqualTo(over);
      appliance.execOk("postqueue -f");
      List<Spool.SpoolFile> files =
          appliance.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30));
      assertThat(files).as("delivered with exactly the margin free").hasSize(1);
      assertThat(files.get(0).firstLine()).isEqualTo("X-Sympa-To: " + address);
      assertThat(appliance.queuedMessages()).isEmpty();
      assertThat(appliance.localMailbox("root")).isEmpty();
    }
  }

  /**
   * Rewrites a filler file in the (tmpfs) msg spool so that KB kilobytes stay free; returns the
   * free KB measured after.
   */
  private static long leaveFree(ToolsApplianceContainer appliance, long kb) {
    String free =
        appliance.execOk(
            "cd "
                + MSG
                + " && [ \"$(stat -f -c %T .)\" = tmpfs ] && [ \"$(stat -f -c %S .)\" = 4096 ]"
                + " && rm -f .filler && blocks=$(( $(stat -f -c %a .) - "
                + kb
                + " / 4 ))"
                + " && [ \"$blocks\" -ge 0 ] && [ \"$blocks\" -le 512 ]"
                + " && dd if=/dev/zero of=.filler bs=4096 count=$blocks 2>/dev/null"
                + " && echo $(( $(stat -f -c %a .) * 4 ))");
    return Long.parseLong(free.strip());
  }

  /**
   * A tool still running at the deadline is killed and the message deferred (pipe(8) would bounce
   * it at its command_time_limit). The deadline is 600 s; master.cf here passes the guard's
   * optional DEADLINE_S argument, 2 s, to a stand-in that never finishes.
   */
  @org.junit.jupiter.api.Test
  void aToolStillRunningAtTheDeadlineIsKilledAndTheMessageDeferred() throws Exception {
    try (ToolsApplianceContainer appliance =
        new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME)) {
      appliance.start();
      String guarded =
          "pipe flags=R user=sympa argv=/usr/local/lib/sympa-appliance/spool-guard "
              + CONF
              + " 1024 "
              + QUEUE
              + " "
              + MSG
              + " ${size} ${recipient}";
      assertThat(appliance.execOk("postconf -M sympa/unix").replaceAll("\\s+", " "))
          .as("master.cf's sympa service")
          .contains(guarded.substring("pipe ".length()));
      appliance.execOk(
          "postconf -F "
              + Shell.quote("sympa/unix/command=" + guarded + " 2")
              + " && postfix reload");
      assertThat(appliance.execOk("postconf -M sympa/unix")).contains("${recipient} 2");
      assertThat(
              Poll.<String>until(
                  appliance::getLogs,
                  logs -> logs.contains("reload -- version"),
                  Duration.ofSeconds(30),
                  Duration.ofMillis(100)))
          .contains("reload -- version");
      appliance.execOk(standInForQueue("cat > /dev/null\nexec sleep 3600\n"));
      String token = "deadline-" + UUID.randomUUID();
      String address = LIST + "@" + DOMAIN;

      appliance.sendWithMail(address, "a tool that never finishes", token);

      List<String> deferred = appliance.awaitDeferred(1, Duration.ofSeconds(30));
      assertThat(deferred)
          .singleElement()
          .asString()
          .startsWith(address + ": ")
          .contains("did not finish in 2 s and was killed");
      assertThat(sleepingTools(appliance)).as("stand-ins still sleeping").isZero();
      assertThat(appliance.localMailbox("root")).isEmpty();

      appliance.execOk(RESTORE_QUEUE);
      appliance.execOk("postqueue -f");
      assertThat(appliance.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30)))
          .as("after the repair")
          .hasSize(1);
      assertThat(appliance.queuedMessages()).isEmpty();
    }
  }

  private static int sleepingTools(ToolsApplianceContainer appliance) {
    return Integer.parseInt(
        appliance
            .execOk(
                "n=0; for p in /proc/[0-9]*; do"
                    + " [ \"$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)\" = 'sleep 3600 ' ] && n=$((n+1)); done; echo $n")
            .strip());
  }

  /**
   * A tool that exits 0 without a file under queue's names (one that names its files otherwise):
   * the guard trusts the exit status, as pipe(8) would, and the message counts as delivered.
   */
  @org.junit.jupiter.api.Test
  void aToolThatExitsZeroWithoutQueuesFileNameIsTrusted() throws Exception {
    try (ToolsApplianceContainer appliance =
        new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME)) {
      appliance.start();
      appliance.execOk(
          standInForQueue(
              "cd " + MSG + " && { printf 'X-Sympa-To: %s\\n' \"$1\"; cat; } > \"other.$1\"\n"));
      String token = "trusted-" + UUID.randomUUID();
      String address = LIST + "@" + DOMAIN;

      appliance.sendWithMail(address, "named otherwise", token);

      List<Spool.SpoolFile> files =
          appliance.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30));
      assertThat(files)
          .singleElement()
          .extracting(Spool.SpoolFile::name)
          .isEqualTo("other." + address);
      assertThat(appliance.queuedMessages()).isEmpty();
      assertThat(appliance.getLogs())
          .contains("to=<" + address + ">, relay=sympa")
          .contains("status=sent")
          .doesNotContain("status=deferred");
      assertThat(appliance.localMailbox("root")).isEmpty();
    }
  }
}
