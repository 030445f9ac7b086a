/*
 * spool-guard: runs Sympa's queue or bouncequeue for one recipient on behalf of Postfix's pipe(8),
 * so that no failure of the server turns into a bounce and a delivery slot is held no longer
 * than the spooling itself.
 *
 * Usage (master.cf, as user sympa):
 *   spool-guard SYMPA_CONF MIN_FREE_KB TOOL SPOOL SIZE RECIPIENT [DEADLINE_S]
 *
 * DEADLINE_S (optional, 1 to TOOL_DEADLINE_S, default TOOL_DEADLINE_S) shortens the time a tool
 * may run before it is killed; it can only make the guard stricter (the tests use it).
 *
 * Sympa's tools exit 77 when the spool is missing and 255 when sympa.conf is unreadable (both
 * permanent bounces for pipe(8)), and ignore write errors (a full disk gives a truncated file and
 * exit 0). Every such failure is the server's, not the message's: the guard checks what it can
 * before running the tool and maps every failure to EX_TEMPFAIL (75) with a 4.3.x reason on
 * stdout, so Postfix defers the message and retries it later.
 *
 * The tools end with sleep(1) after renaming "T.NAME" to "NAME" (NAME = RECIPIENT.TIME.PID):
 * the pid stays taken for that second, so no other run makes the same name. Waiting for that
 * sleep would hold a pipe(8) process per delivery for a second, so the spool intake rate would be
 * the destination concurrency per second. The guard looks for the tool's own final name in the
 * spool (every 1 ms, backing off to 32 ms) and reports success as soon as it is there: the file is
 * then complete, renamed after close. The tool finishes its sleep on its own (PID 1, Postfix's
 * master in init mode, reaps it), so its pid and the name stay taken for that second as before.
 * Should the name never show (a tool that names its files otherwise), the guard waits for the
 * tool's exit and trusts its status, as pipe(8) would: slower, never wrong. Once the tool has
 * exited, its final file decides whatever the status (killed in its sleep: delivered), and a "T."
 * file left behind (queue ignores rename errors) is removed and the message deferred. A tool
 * that has not finished after TOOL_DEADLINE_S is killed and judged the same way: pipe(8) itself
 * would bounce the message at command_time_limit (1000 s).
 *
 * Built statically inside the base root filesystem by rootfs-recipe.sh (gcc, then purged).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EX_TEMPFAIL 75
/* Well below pipe(8)'s command_time_limit (1000 s), at which it would bounce the message. */
#ifndef TOOL_DEADLINE_S
#define TOOL_DEADLINE_S 600
#endif

static void defer(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void defer(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
  fflush(stdout);
  exit(EX_TEMPFAIL);
}

static unsigned long long parse_number(const char *s, const char *what) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (!isdigit((unsigned char) s[0]) || errno != 0 || *end != '\0') {
    defer("4.3.5 spool-guard: %s '%s' is not a number", what, s);
  }
  return v;
}

static double monotonic_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Whether the spool holds the tool's file for a time in [from, to], newest first: queue.c and
 * bouncequeue.c write "T.%s.%ld.%d" (recipient, time(NULL), getpid()) and rename it to the same
 * name without "T.". PREFIX is "" for the final name, "T." for the temporary one; the name found
 * is left in NAME (LEN bytes).
 */
static int tool_file_exists(int dirfd, const char *prefix, const char *recipient, long from, long to, pid_t pid,
                            char *name, size_t len) {
  struct stat st;
  for (long t = to; t >= from; t--) {
    snprintf(name, len, "%s%s.%ld.%d", prefix, recipient, t, (int) pid);
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
      return 1;
    }
  }
  return 0;
}

/*
 * The times (wall clock, seconds) the tool's file name can carry, [*from, *to]: from the start to
 * now, but no further back than the monotonic time ELAPSED since the start (plus 2 s), so a
 * clock step costs no long scans.
 */
static void name_window(long started, double elapsed, long *from, long *to) {
  *to = (long) time(NULL);
  long back = *to - (long) elapsed - 2;
  *from = back > started ? back : started;
}

int main(int argc, char **argv) {
  if (argc != 7 && argc != 8) {
    defer("4.3.5 spool-guard: usage: spool-guard SYMPA_CONF MIN_FREE_KB TOOL SPOOL SIZE RECIPIENT [DEADLINE_S]");
  }
  const char *conf = argv[1];
  unsigned long long min_free_kb = parse_number(argv[2], "MIN_FREE_KB");
  const char *tool = argv[3];
  const char *spool = argv[4];
  unsigned long long size = parse_number(argv[5], "SIZE");
  const char *recipient = argv[6];
  unsigned long long deadline_s = TOOL_DEADLINE_S;
  if (argc == 8) {
    deadline_s = parse_number(argv[7], "DEADLINE_S");
    if (deadline_s < 1 || deadline_s > TOOL_DEADLINE_S) {
      defer("4.3.5 spool-guard: DEADLINE_S %llu is not between 1 and %d", deadline_s, TOOL_DEADLINE_S);
    }
  }
  /* waitpid needs the default disposition, whatever the caller left. */
  signal(SIGCHLD, SIG_DFL);

  if (access(conf, R_OK) != 0) {
    defer("4.3.5 %s is not readable by uid %d: %s", conf, (int) getuid(), strerror(errno));
  }
  struct stat st;
  if (stat(spool, &st) != 0 || !S_ISDIR(st.st_mode)) {
    defer("4.3.5 spool %s is missing", spool);
  }
  if (access(spool, W_OK | X_OK) != 0) {
    defer("4.3.5 spool %s is not writable by uid %d", spool, (int) getuid());
  }
  /* Room for the message and a margin: the tool would write a truncated file and exit 0. */
  struct statvfs vfs;
  if (statvfs(spool, &vfs) != 0) {
    defer("4.3.1 cannot measure free space in %s: %s", spool, strerror(errno));
  }
  unsigned long long free_kb = (unsigned long long) vfs.f_bavail * vfs.f_frsize / 1024;
  unsigned long long needed_kb = size / 1024 + min_free_kb;
  if (needed_kb < min_free_kb) {
    needed_kb = ~0ULL; /* overflow: nothing is enough */
  }
  if (free_kb < needed_kb) {
    defer("4.3.1 spool %s has %llu KB free, needs %llu KB", spool, free_kb, needed_kb);
  }

  int dirfd = open(spool, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0) {
    defer("4.3.5 cannot open spool %s: %s", spool, strerror(errno));
  }
  size_t name_len = strlen(recipient) + 64;
  char *name = malloc(name_len);
  if (name == NULL) {
    defer("4.3.0 spool-guard: out of memory");
  }
  /* The tool's stdout and stderr: kept for the reason of a failure, and not pipe(8)'s pipe,
   * which would make pipe(8) wait for the tool's sleep. */
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    defer("4.3.0 spool-guard: pipe: %s", strerror(errno));
  }
  long started = (long) time(NULL);
  double started_mono = monotonic_s();
  pid_t pid = fork();
  if (pid < 0) {
    defer("4.3.0 spool-guard: fork: %s", strerror(errno));
  }
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(out[1], STDERR_FILENO);
    execl(tool, tool, recipient, (char *) NULL);
    dprintf(STDERR_FILENO, "cannot run %s: %s", tool, strerror(errno));
    _exit(EX_TEMPFAIL);
  }
  close(out[1]);

  /* Until the tool's output ends (it exited), look for its final file: 1 ms, doubling to 32 ms. */
  char said[512];
  size_t said_len = 0;
  int wait_ms = 1;
  int timed_out = 0;
  for (;;) {
    struct pollfd fd = {.fd = out[0], .events = POLLIN};
    int ready = poll(&fd, 1, wait_ms);
    if (ready < 0 && errno != EINTR) {
      break; /* judged by the tool's exit and the spool */
    }
    if (ready > 0) {
      /* Keep the first 511 bytes for the reason; drain the rest, so the tool never blocks on us. */
      char drain[4096];
      size_t room = sizeof said - 1 - said_len;
      ssize_t n = room > 0 ? read(out[0], said + said_len, room) : read(out[0], drain, sizeof drain);
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        break; /* EOF: the tool exited */
      }
      if (n > 0 && room > 0) {
        said_len += (size_t) n;
      }
    }
    double elapsed = monotonic_s() - started_mono;
    long from, now;
    name_window(started, elapsed, &from, &now);
    if (tool_file_exists(dirfd, "", recipient, from, now, pid, name, name_len)) {
      /* Complete in the spool under its final name: delivered. */
      return 0;
    }
    if (elapsed > (double) deadline_s) {
      timed_out = 1;
      kill(pid, SIGKILL);
      break;
    }
    wait_ms = wait_ms < 32 ? wait_ms * 2 : 32;
  }
  close(out[0]);

  int status = 0;
  pid_t reaped;
  while ((reaped = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
  }
  /* The tool is gone (or was never ours to reap): the spool decides. */
  long from, now;
  name_window(started, monotonic_s() - started_mono, &from, &now);
  if (tool_file_exists(dirfd, "", recipient, from, now, pid, name, name_len)) {
    return 0; /* renamed after close: complete, whatever happened to the tool after */
  }
  if (reaped != pid) {
    defer("4.3.0 spool-guard: waitpid: %s", strerror(errno));
  }
  if (tool_file_exists(dirfd, "T.", recipient, from, now, pid, name, name_len)) {
    /* Written but not renamed (queue ignores rename errors): not delivered. */
    unlinkat(dirfd, name, 0);
    defer("4.3.0 %s %s left %s/%s unrenamed (removed)", tool, recipient, spool, name);
  }
  said[said_len] = '\0';
  for (char *c = said; *c; c++) {
    if (*c == '\n' || *c == '\r') {
      *c = ' ';
    }
  }
  if (timed_out) {
    defer("4.3.0 %s %s did not finish in %llu s and was killed %s", tool, recipient, deadline_s, said);
  }
  if (WIFSIGNALED(status)) {
    defer("4.3.0 %s %s was killed by signal %d %s", tool, recipient, WTERMSIG(status), said);
  }
  if (WEXITSTATUS(status) != 0) {
    defer("4.3.0 %s %s failed with status %d %s", tool, recipient, WEXITSTATUS(status), said);
  }
  /* Exit 0 and no file under the expected names: trust the status, as pipe(8) would (the file may
   * be named otherwise, or already taken by Sympa). */
  return 0;
}
