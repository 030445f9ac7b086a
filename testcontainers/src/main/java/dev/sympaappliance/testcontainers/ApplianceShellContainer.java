package dev.sympaappliance.testcontainers;

import java.time.Duration;
import java.util.List;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * What {@link SympaApplianceContainer} runs inside the server: {@code sh -c}, Sympa's tools, the
 * reads of Sympa's spools and Postfix's queue. Package-private, so that the public class's file
 * stays short; javadoc documents these methods as the public class's own.
 */
abstract class ApplianceShellContainer extends GenericContainer<SympaApplianceContainer> {
  private String domain;

  /**
   * A server of {@code image}.
   *
   * @param image the image
   * @param domain the list domain when known (from the spec); null to read it from sympa.conf
   */
  ApplianceShellContainer(DockerImageName image, String domain) {
    super(image);
    this.domain = domain;
  }

  /**
   * The list domain: the spec's, or (for a server made from an image name) Sympa's {@code domain}.
   *
   * @return the domain, such as {@code lists.example.org}
   */
  public String getDomain() {
    if (domain == null) {
      domain = shell("sed -n 's/^domain[[:space:]]*//p' /etc/sympa/sympa/sympa.conf").strip();
    }
    return domain;
  }

  /**
   * Waits until the whole server is idle: Sympa's spools of work in progress (incoming, bulk,
   * bounces, automatic lists) and Postfix's queue empty, on two probes half a second apart (a copy
   * handed from one to the other between them shows in one probe). A check that something did not
   * arrive comes after this, never after a fixed sleep.
   *
   * @param deadline how long to wait
   * @throws org.awaitility.core.ConditionTimeoutException when work is still there at the deadline
   */
  public void awaitIdle(Duration deadline) {
    Spools.awaitIdle(this, deadline);
  }

  /**
   * Waits until Sympa's spools of work in progress are empty (Postfix's queue may still hold mail).
   *
   * @param deadline how long to wait
   * @throws org.awaitility.core.ConditionTimeoutException when work is still there at the deadline
   */
  public void awaitSympaIdle(Duration deadline) {
    Spools.awaitSympaIdle(this, deadline);
  }

  /**
   * The queue IDs of the messages in Postfix's queue ({@code postqueue -j}).
   *
   * @return the IDs; empty when the queue is empty
   */
  public List<String> queuedMessages() {
    return queueIds(shell("postqueue -j"));
  }

  /**
   * The queue IDs in the output of {@code postqueue -j} (one JSON object per message).
   *
   * @param postqueueJson what {@code postqueue -j} printed
   * @return the IDs, in order
   */
  public static List<String> queueIds(String postqueueJson) {
    return Spools.queueIds(postqueueJson);
  }

  /**
   * The recipients of every message in Postfix's queue (active, deferred, incoming, hold), one
   * entry per recipient still to be delivered ({@code postqueue -j}).
   *
   * @return the addresses; empty when the queue is empty
   */
  public List<String> queuedRecipients() {
    return Spools.queuedRecipients(shell("postqueue -j"));
  }

  /**
   * The recipients of the deferred messages in Postfix's queue, each with Postfix's reason, as
   * {@code "ADDRESS: REASON"} (from {@code postqueue -j}).
   *
   * @return one entry per deferred recipient; empty when nothing is deferred
   */
  public List<String> deferredRecipients() {
    return deferredRecipients(shell("postqueue -j"));
  }

  /**
   * The deferred recipients in the output of {@code postqueue -j} (one JSON object per message).
   *
   * @param postqueueJson what {@code postqueue -j} printed
   * @return one {@code "ADDRESS: REASON"} per deferred recipient
   */
  public static List<String> deferredRecipients(String postqueueJson) {
    return Spools.deferredRecipients(postqueueJson);
  }

  /**
   * Runs {@code sh -c command} inside the container.
   *
   * @param command a shell command
   * @return its standard output
   * @throws IllegalStateException when it exits with another status than 0 (the message holds its
   *     stderr)
   */
  public String shell(String command) {
    return Shell.execOk(this, command);
  }

  /**
   * Runs {@code sh -c command} inside the container, whatever its exit status.
   *
   * @param command a shell command
   * @return its exit status, standard output and standard error
   */
  public ExecResult shellResult(String command) {
    return Shell.exec(this, command);
  }

  /**
   * Runs {@code sympa.pl ARGS} as the entrypoint runs it.
   *
   * @param args the arguments, each passed as one word
   * @return its output (stdout and stderr) without the known noise of Debian's Sympa (the missing
   *     syslog socket warning; 6.2.76's duplicate option warnings)
   * @throws IllegalStateException when sympa.pl cannot be run
   */
  public String sympa(String... args) {
    return SympaTools.sympa(this, args);
  }

  /**
   * Creates a list in the running server, as its owner would with Sympa's tools (no restart).
   *
   * @param name the list's name
   * @param type a list template, such as {@code discussion_list}
   * @param owner the owner's address
   * @param editors the moderators' addresses
   * @throws IllegalStateException when Sympa did not create it
   */
  public void createList(String name, String type, String owner, String... editors) {
    SympaTools.createList(this, getDomain(), name, type, owner, editors);
  }

  /**
   * Creates a list in one of the server's further list domains (a Sympa virtual host of a spec's
   * {@code domains:}), as {@link #createList} does in its first.
   *
   * @param domain the list domain
   * @param name the list's name
   * @param type a list template, such as {@code discussion_list}
   * @param owner the owner's address
   * @param editors the moderators' addresses
   * @throws IllegalStateException when Sympa did not create it
   */
  public void createListIn(
      String domain, String name, String type, String owner, String... editors) {
    SympaTools.createList(this, domain, name, type, owner, editors);
  }

  /**
   * Adds members to a list quietly (no welcome mail), with {@code sympa.pl add}.
   *
   * @param list the list's name
   * @param addresses the members' addresses
   */
  public void addMembers(String list, String... addresses) {
    SympaTools.addMembers(this, list + "@" + getDomain(), addresses);
  }

  /**
   * Adds members quietly to a list of any of the server's list domains.
   *
   * @param listAddress the list's address, {@code NAME@DOMAIN}
   * @param addresses the members' addresses
   */
  public void addMembersTo(String listAddress, String... addresses) {
    SympaTools.addMembers(this, listAddress, addresses);
  }

  /**
   * The members of a list of the server's first list domain, from Sympa's own database (SQLite, the
   * default).
   *
   * @param list the list's name
   * @return their addresses, sorted
   */
  public List<String> members(String list) {
    return SympaTools.members(this, list + "@" + getDomain());
  }

  /**
   * The members of a list of any of the server's list domains.
   *
   * @param listAddress the list's address, {@code NAME@DOMAIN}
   * @return their addresses, sorted
   */
  public List<String> membersOf(String listAddress) {
    return SympaTools.members(this, listAddress);
  }

  /**
   * The rows of a query on Sympa's SQLite database, waiting for Sympa's locks.
   *
   * @param sql an SQL query
   * @return one string per row, columns separated by {@code |}
   */
  public List<String> databaseRows(String sql) {
    return SympaTools.databaseRows(this, sql);
  }

  /**
   * The files of a list's archive (raw and HTML) that hold {@code token}: none while the list has
   * no archive yet (before its first post is archived).
   *
   * @param list the list's name
   * @param token the text to look for
   * @return the files' paths inside the container
   * @throws IllegalStateException when the archive cannot be read
   */
  public List<String> archivedFilesContaining(String list, String token) {
    return SympaTools.archivedFilesContaining(this, list, token);
  }

  /**
   * The DNS records to publish for this server: what {@code docker exec CONTAINER
   * sympa-appliance-dns} prints (MX, SPF, DKIM, DMARC).
   *
   * @return the records, in zone file syntax
   */
  public String dnsRecords() {
    return shell("sympa-appliance-dns");
  }
}
