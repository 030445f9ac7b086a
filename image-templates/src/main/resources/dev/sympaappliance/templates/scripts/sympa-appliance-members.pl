#!/usr/bin/perl
# sympa-appliance-members: adds many members to a list at once, through Sympa's own
# Sympa::List::add_list_member (the same call `sympa add` makes), in batches of 500 a transaction.
#
#   sympa-appliance-members add [--welcome] LIST@DOMAIN FILE     (FILE may be -, standard input)
#
# FILE is CSV, one member per line: ADDRESS[,NAME[,MODE]]. MODE is a reception mode the list
# offers (mail, digest, digestplain, summary, nomail, ...); without it, the list's default.
# Blank lines and lines starting with # are skipped. Every line is checked before anything is
# added: a bad address or mode, or an address given twice, is reported as FILE:LINE and nothing is
# added (exit 2). Members the list already has are reported and left as they are. No welcome mail
# unless --welcome is given (then each new member gets the list's welcome message, as `sympa add`
# without --quiet sends it, unless sympa.conf's quiet_subscription is "on").
#
# Why not `sympa add`: it renders its report template (mail_tt2/report.tt2) with Template Toolkit
# for every member, twice; parsing it costs about 70 ms of CPU each time, so 1,000 members take
# about 140 s. add_list_member itself writes three rows per member (user_table, stat_table,
# subscriber_table), each in a transaction of its own: about 250 members a second on SQLite, where
# each commit syncs the disk. Here the members go in batches of $BATCH, one transaction each on
# SQLite (on PostgreSQL, as Sympa commits them).
use lib '/usr/share/sympa/lib';
use strict;
use warnings;
use English qw(-no_match_vars);
use Text::CSV_XS;
use Time::HiRes qw(time);

use Sympa::CLI;
use Sympa::DatabaseManager;
use Sympa::List;
use Sympa::Tools::Text;

# Members per transaction: a batch holds SQLite's write lock for about half a second, well inside
# the 5 s other Sympa processes wait for it (Sympa's busy_timeout).
our $BATCH = 500;

# Runs CODE in one database transaction on SQLite: all its rows are committed together, or none.
# Sympa's SQLite driver opens and commits a transaction around each write of its own (DBD::SQLite
# cannot nest them), so for the duration its writes go through the plain Sympa::Database ones.
sub in_one_transaction {
    my ($code) = @_;
    my $sdm = Sympa::DatabaseManager->instance
        or die "sympa-appliance-members: cannot connect to Sympa's database\n";
    # Only SQLite pays for a commit per row (a disk sync each). On PostgreSQL Sympa relies on
    # autocommit: a statement it expects may fail (a row that exists) would abort the whole
    # transaction there, so its rows are committed as Sympa commits them.
    return $code->() unless ref $sdm eq 'Sympa::DatabaseDriver::SQLite';
    my $dbh = $sdm->__dbh;
    no warnings qw(redefine once);
    local *Sympa::DatabaseDriver::SQLite::do_query = \&Sympa::Database::do_query;
    local *Sympa::DatabaseDriver::SQLite::do_prepared_query = \&Sympa::Database::do_prepared_query;
    $dbh->begin_work or die "sympa-appliance-members: cannot begin: " . $dbh->errstr . "\n";
    my $ok = eval { $code->(); 1 };
    if ($ok and $dbh->commit) {
        return;
    }
    my $why = $EVAL_ERROR || $dbh->errstr // 'commit failed';
    $dbh->rollback;
    die "database error, the last batch of up to $BATCH members was rolled back: $why";
}

sub usage {
    print STDERR "usage: sympa-appliance-members add [--welcome] LIST\@DOMAIN FILE|-\n";
    exit 2;
}

my $command = shift @ARGV // '';
my $welcome = @ARGV && $ARGV[0] eq '--welcome' ? shift @ARGV : undef;
my ($address, $file) = @ARGV;
usage() unless defined $file and $command eq 'add' and @ARGV == 2;
my ($name, $robot) = split /\@/, $address, 2;
usage() unless defined $robot and length $name;

my $in;
if ($file eq '-') {
    $in = \*STDIN;
} else {
    open $in, '<', $file or die "sympa-appliance-members: cannot read $file: $ERRNO\n";
}
# Read as bytes, as `sympa add` reads its input: Sympa keeps UTF-8 text as bytes throughout.
binmode $in;

# As sympa.pl does: Sympa's configuration, its log, its database; then user sympa.
Sympa::CLI->arrange;

my $list = Sympa::List->new($name, $robot)
    or die "sympa-appliance-members: no list $address\n";

# The list's members before the import, read at once (one query, not one a line).
my %members_before = map { $_->{email} => 1 } $list->get_members('member');

my $csv = Text::CSV_XS->new({binary => 1, auto_diag => 0});
my (@users, @problems, %line_of, @already);
my $line = 0;
while (my $text = <$in>) {
    $line++;
    $text =~ s/\r?\n\z//;
    next if $text =~ /\A\s*(#|\z)/;
    my $where = ($file eq '-' ? 'stdin' : $file) . ":$line";
    unless ($csv->parse($text)) {
        push @problems, "$where: not CSV: " . ($csv->error_diag)[1];
        next;
    }
    my ($email, $gecos, $mode, @rest) = map { defined $_ ? s/\A\s+|\s+\z//gr : $_ } $csv->fields;
    if (@rest) {
        push @problems, "$where: more than three fields (ADDRESS,NAME,MODE)";
        next;
    }
    unless (defined $email and Sympa::Tools::Text::valid_email($email)) {
        push @problems, "$where: '" . ($email // '') . "' is not an e-mail address";
        next;
    }
    $email = Sympa::Tools::Text::canonic_email($email);
    if (defined $mode and length $mode and not $list->is_available_reception_mode($mode)) {
        push @problems, "$where: '$mode' is not a reception mode of $address ("
            . join(', ', $list->available_reception_mode) . ')';
        next;
    }
    if (exists $line_of{$email}) {
        push @problems, "$where: $email is given twice (first on line $line_of{$email})";
        next;
    }
    $line_of{$email} = $line;
    if ($members_before{$email}) {
        push @already, "$where: $email is a member already, left as it is";
        next;
    }
    push @users, {
        email => $email,
        (defined $gecos and length $gecos) ? (gecos     => $gecos) : (),
        (defined $mode  and length $mode)  ? (reception => $mode)  : (),
    };
}
if (@problems) {
    print STDERR "sympa-appliance-members: $_\n" for @problems;
    print STDERR "sympa-appliance-members: nothing added to $address ("
        . scalar(@problems) . " bad lines)\n";
    exit 2;
}
print STDERR "sympa-appliance-members: $_\n" for @already;
my @users_left = @users;

my $started = time;
my $stash   = [];
my $failure;
while (my @batch = splice @users_left, 0, $BATCH) {
    my $reported = @$stash;
    next if eval { in_one_transaction(sub { $list->add_list_member(@batch, stash => $stash) }); 1 };
    $failure = $EVAL_ERROR;
    splice @$stash, $reported;    # what the rolled-back batch reported did not happen
    unshift @users_left, @batch;    # not added
    last;
}
my @errors = grep { $_->[0] ne 'notice' } @$stash;
my $added  = 0;
$added += $_->[2]{total} // 0 for grep { $_->[1] eq 'add_performed' } @$stash;
printf "sympa-appliance-members: added %d members to %s in %.1f s (%d already members)\n",
    $added, $address, time - $started, scalar @already;
print STDERR "sympa-appliance-members: $failure\n" if $failure;
if ($welcome and $Conf::Conf{'quiet_subscription'} ne 'on') {
    my %added = map { $_->{email} => 1 } @users;
    delete @added{map { $_->{email} } @users_left};    # not added: a batch that failed
    for my $email (sort keys %added) {
        $list->send_probe_to_user('welcome', $email)
            or print STDERR "sympa-appliance-members: no welcome message sent to $email\n";
    }
}
if ($failure or @errors or $added != @users) {
    printf STDERR "sympa-appliance-members: %s %s\n", $_->[1], $_->[2]{email} // ''
        for @errors;
    exit 1;
}
exit 0;
