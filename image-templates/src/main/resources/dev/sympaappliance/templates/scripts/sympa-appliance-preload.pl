#!/usr/bin/perl
# sympa-appliance-preload: loads Sympa's modules once, then starts each of Sympa's daemons as a
# child of its own (fork, then the daemon's own script), so that their compiled code is shared
# instead of compiled and held once per daemon. An s6 service; each daemon's s6 service runs
# sympa-appliance-daemon, which asks for its daemon here over a Unix socket, stands for it under s6
# (its exit is the daemon's; a signal s6 sends it goes to the daemon) and stops the daemon when
# this process goes away. Lines of the socket: the client sends "SERVICE DAEMON CLIENT_PID"; this
# answers "PID" once the daemon is forked (once the service's earlier daemon, if any, has exited)
# and "EXIT STATUS" once it is gone. The daemon takes its stdout,
# stderr and environment (SYMPA_APPLIANCE_*) from the client's, through /proc.
use strict;
use warnings;
use IO::Select;
use IO::Socket::UNIX;
use POSIX qw(WNOHANG);
use Socket qw(SOCK_STREAM);

my ($bin, @daemons);    # set at compile time, below

# At compile time, so that the INIT blocks of Sympa's modules run (Sympa::Process's and
# Sympa::Crash's register signal handlers; each child registers them again for itself below).
BEGIN {
    $bin     = '/usr/lib/sympa/bin';
    @daemons = qw(sympa_msg bulk archived bounced task_manager);
    unshift @INC, '/usr/share/sympa/lib';
    my %modules;
    for my $daemon (@daemons) {
        open my $script, '<', "$bin/$daemon.pl" or die "$daemon.pl: $!\n";
        while (<$script>) {
            last if /^__END__/;
            $modules{$1} = 1 if /^use\s+([A-Z][\w:]*)/;
        }
    }
    # Loaded by the daemons at run time: the database drivers, templates, DKIM, MIME.
    $modules{$_} = 1 for qw(DBD::SQLite DBD::Pg Template Mail::DKIM::Signer MIME::Parser
        Sympa::DatabaseDriver::SQLite Sympa::DatabaseDriver::PostgreSQL);
    for my $module (sort keys %modules) {
        eval "require $module; 1" or warn "sympa-appliance-preload: $module not loaded: $@";
    }
}

my $socket = shift // die "usage: sympa-appliance-preload SOCKET\n";
$SIG{__DIE__} = 'DEFAULT';
$SIG{PIPE}    = 'IGNORE';
my $finish;
$SIG{TERM} = $SIG{INT} = sub { $finish = 1 };
$SIG{CHLD} = sub { };    # wakes select up

unlink $socket;
my $listener = IO::Socket::UNIX->new(Type => SOCK_STREAM, Local => $socket, Listen => 16)
    or die "sympa-appliance-preload: $socket: $!\n";
chmod 0600, $socket;
my $select = IO::Select->new($listener);
my %client_of;     # a daemon's pid => its client's connection
my %daemon_of;     # a client's connection => its daemon's pid
my %service_of;    # a daemon's pid => its service
my %stopping;      # a service => its daemon still running after its client went away
my @waiting;       # requests [connection, service, daemon, client pid] not served yet
print "Sympa's modules loaded, ready to start the daemons\n";

until ($finish and not %client_of and not %stopping) {
    kill 'TERM', keys %client_of if $finish;
    for my $ready ($select->can_read(1)) {
        if ($ready == $listener) {
            my $client = $listener->accept or next;
            $select->add($client);
            next;
        }
        my $line = <$ready>;
        if (not defined $line) {
            # The client is gone (s6 stopped it, or it died): its daemon goes too, and the
            # service's next daemon waits until it has.
            $select->remove($ready);
            @waiting = grep { $_->[0] != $ready } @waiting;
            if (my $pid = delete $daemon_of{$ready}) {
                delete $client_of{$pid};
                $stopping{$service_of{$pid}} = $pid;
                kill 'TERM', $pid;
            }
            close $ready;
            next;
        }
        my ($service, $daemon, $client_pid) = $line =~ /^([\w-]+) (\w+) (\d+)$/;
        if ($daemon and grep { $_ eq $daemon } @daemons) {
            push @waiting, [$ready, $service, $daemon, $client_pid];
        } else {
            print $ready "ERROR not a daemon: $line";
        }
    }
    while ((my $pid = waitpid(-1, WNOHANG)) > 0) {
        my $service = delete $service_of{$pid};
        delete $stopping{$service} if defined $service and ($stopping{$service} // 0) == $pid;
        my $client = delete $client_of{$pid} or next;
        delete $daemon_of{$client};
        print $client "EXIT $?\n";
        $select->remove($client);
        close $client;
    }
    next if $finish;
    for my $request (splice @waiting) {
        my ($client, $service, $daemon, $client_pid) = @$request;
        if ($stopping{$service}) {
            push @waiting, $request;
            next;
        }
        my $pid = fork;
        if (not defined $pid) {
            print $client "ERROR fork: $!\n";
        } elsif ($pid == 0) {
            close $_ for $select->handles;
            start($daemon, $client_pid);
        } else {
            $client_of{$pid}  = $client;
            $daemon_of{$client} = $pid;
            $service_of{$pid} = $service;
            print $client "$pid\n";
        }
    }
}
unlink $socket;
exit 0;

# In the child: becomes DAEMON as its client CLIENT_PID would have run it.
sub start {
    my ($daemon, $client_pid) = @_;
    $SIG{$_} = 'DEFAULT' for grep { $_ ne '__WARN__' } keys %SIG;
    Sympa::Process::register_handler();
    Sympa::Crash::register_handler();
    open STDIN, '<', '/dev/null' or die "/dev/null: $!\n";
    open STDOUT, '>>', "/proc/$client_pid/fd/1" or die "client's stdout: $!\n";
    open STDERR, '>>', "/proc/$client_pid/fd/2" or die "client's stderr: $!\n";
    if (open my $environ, '<', "/proc/$client_pid/environ") {
        local $/ = "\0";
        while (my $pair = <$environ>) {
            chomp $pair;
            $ENV{$1} = $2 if $pair =~ /^(SYMPA_APPLIANCE_\w+)=(.*)$/s;
        }
    }
    srand();    # not the parent's sequence
    $0 = "$bin/$daemon.pl";
    if (open my $comm, '>', '/proc/self/comm') {    # the name ps and pgrep -x show
        print $comm "$daemon.pl";
        close $comm;
    }
    @ARGV = ('--foreground');
    -r $0 or die "$0: $!\n";
    do $0;
    die "$daemon.pl: $@" if $@;
    exit 0;
}
