#!/usr/bin/perl
# sympa-appliance-daemon SERVICE DAEMON SOCKET: run by the s6 service SERVICE in place of Sympa's
# DAEMON.pl. Asks sympa-appliance-preload (over SOCKET) to start DAEMON as a child of its own, which
# shares the modules it has loaded, and stands for that daemon under s6: a signal s6 sends goes to the daemon,
# this exits when the daemon does (with its status, so that s6 starts it again), and if
# sympa-appliance-preload goes away first, this stops the daemon and exits. The daemon writes to
# this process's stdout and stderr (s6's logger) and takes its SYMPA_APPLIANCE_* environment.
use strict;
use warnings;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
use Time::HiRes qw(sleep);

my ($service, $daemon, $socket) = @ARGV;
die "usage: sympa-appliance-daemon SERVICE DAEMON SOCKET\n" unless $socket;

# sympa-appliance-preload may be starting too (or starting again): wait for its socket.
my $preload;
for (1 .. 600) {
    $preload = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $socket) and last;
    sleep 0.1;
}
$preload or die "sympa-appliance-daemon: $daemon: no sympa-appliance-preload at $socket: $!\n";
$preload->autoflush(1);
print $preload "$service $daemon $$\n";
my $answer = <$preload>;
defined $answer and $answer =~ /^(\d+)$/
    or die "sympa-appliance-daemon: $daemon: sympa-appliance-preload answered "
    . ($answer // "nothing");
my $pid = $1;

$SIG{$_} = sub { kill $_[0], $pid } for qw(TERM INT HUP USR1 USR2 QUIT CONT);
while (1) {
    my $line = <$preload>;
    if (defined $line) {
        exit($1 >> 8 || ($1 & 127 ? 128 + ($1 & 127) : 0)) if $line =~ /^EXIT (\d+)$/;
        next;
    }
    next if $!{EINTR};
    last;
}
# sympa-appliance-preload is gone: its daemons must not outlive it, or its next start would run
# each of them twice.
kill 'TERM', $pid;
for (1 .. 100) {
    kill(0, $pid) or exit 111;
    sleep 0.1;
}
kill 'KILL', $pid;
exit 111;
