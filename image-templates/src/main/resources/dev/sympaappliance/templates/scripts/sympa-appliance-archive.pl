#!/usr/bin/perl
# sympa-appliance-archive: puts the messages of an mbox into a list's archive, through Sympa's own
# archive code (Sympa::Archive, the module archived.pl files each post with).
#
#   sympa-appliance-archive import [--dry-run] LIST@DOMAIN FILE     (FILE may be -, standard input)
#
# Each message is filed in the month of its Date: header (in the server's time zone, UTC in the
# appliance), in date order: Sympa::Archive::store writes it as arctxt/N of that month, as
# archived.pl does with a post. A message whose Date: is missing, unparsable or in the future is
# filed by the date of its mbox From_ line, and this is reported. The web (MHonArc) archive of each
# month that received messages is then rebuilt from arctxt with Sympa::Archive::html_rebuild, the
# code behind `sympa rebuildarc`. Months that archived.pl may be writing to at the same time (this
# month, yesterday's, and those of posts waiting in the archive spool) are not written here:
# their messages go into the archive spool, dated, and archived.pl files them one by one as it
# files posts, so that the two never number a month's messages at the same time.
#
# The mbox may be mboxo or mboxrd: a message starts at a "From " line at the top of the file or
# after an empty line; the empty line before it is the separator; ">From ", ">>From ", ... lines
# lose one ">". Every message is read and parsed before anything is written: a message that cannot
# be parsed or dated is reported as FILE:LINE and nothing is imported (exit 2).
#
# Not imported, and reported: a message whose Message-ID the archive already has (in any month,
# including messages removed from the archive, under deleted/), a second message with the same
# Message-ID in the file, and, as archived.pl does not archive them either, messages marked
# "X-No-Archive: yes" or "Restrict: no-external-archive" (unless ignore_x_no_archive_header_feature
# is on). Importing the same file twice therefore imports nothing the second time. Messages without
# a Message-ID cannot be recognised: they are imported each time.
#
# --dry-run reads and checks everything and prints what would be imported, without writing.
use lib '/usr/share/sympa/lib';
use strict;
use warnings;
use English qw(-no_match_vars);
use Fcntl qw(:flock SEEK_SET);
use File::Temp;
use POSIX qw(strftime);
use Time::HiRes qw(time);
use Date::Parse qw(str2time strptime);

use Conf;
use Sympa::Archive;
use Sympa::CLI;
use Sympa::Constants;
use Sympa::List;
use Sympa::Message;
use Sympa::Spool::Archive;
use Sympa::Tools::Data;
use Sympa::Tools::Text;

my $ME = 'sympa-appliance-archive';

sub usage {
    print STDERR "usage: $ME import [--dry-run] LIST\@DOMAIN FILE|-\n";
    exit 2;
}

sub say_ { print "$ME: ", @_, "\n" }
sub warn_ { print STDERR "$ME: ", @_, "\n" }

my $command = shift @ARGV // '';
usage() unless $command eq 'import';
my $dry_run = 0;
if (@ARGV and $ARGV[0] eq '--dry-run') {
    $dry_run = 1;
    shift @ARGV;
}
usage() unless @ARGV == 2;
my ($address, $file) = @ARGV;
my ($name, $robot) = split /\@/, $address, 2;
usage() unless defined $robot and length $name and length $robot;
my $where_file = $file eq '-' ? 'stdin' : $file;

my $in;
if ($file eq '-') {
    $in = \*STDIN;
} else {
    unless (open $in, '<', $file) {
        warn_ "cannot read $file: $ERRNO";
        exit 2;
    }
}
# Bytes in, bytes out: Sympa stores messages as they are.
binmode $in;

# As sympa.pl does: Sympa's configuration, its log, its database; then user sympa.
Sympa::CLI->arrange;
umask oct $Conf::Conf{'umask'};

my $list = Sympa::List->new($name, $robot);
unless ($list) {
    warn_ "no list $address";
    exit 1;
}
unless ($list->is_archiving_enabled) {
    warn_ "$address does not archive (process_archive is not on): nothing imported";
    exit 1;
}
if ($Conf::Conf{'custom_archiver'}) {
    warn_ "this site archives with custom_archiver $Conf::Conf{'custom_archiver'}, "
        . 'not with Sympa\'s archive: nothing imported';
    exit 1;
}

# One import at a time (two would number the same month's messages at once).
my $lock_path = "$Conf::Conf{'tmpdir'}/$ME.lock";
open my $lock, '>>', $lock_path or die "$ME: cannot open $lock_path: $ERRNO\n";
unless (flock $lock, LOCK_EX | LOCK_NB) {
    warn_ 'another import is running; try again when it has finished';
    exit 1;
}

my $started = time;

# Standard input (or a pipe given by name) is copied to a file first: the messages are read twice
# (checked, then stored), and only their offsets are kept in memory.
unless (-f $in) {
    my $copy = File::Temp->new(DIR => $Conf::Conf{'tmpdir'}, TEMPLATE => "$ME.XXXXXX");
    binmode $copy;
    my $buffer;
    while (my $n = read $in, $buffer, 1 << 20) {
        print $copy $buffer or die "$ME: cannot copy standard input: $ERRNO\n";
    }
    $copy->flush;
    seek $copy, 0, SEEK_SET;
    $in = $copy;
}

# Pass 1: where each message is in the file (the From_ line's line number, its byte range).
my (@entries, @problems);
{
    my ($line, $previous_blank, $offset) = (0, 1, 0);
    my ($blank_at, $current);
    my $finish = sub {
        my $end = shift;
        return unless $current;
        # The empty line before the next From_ line (or at the end) is the separator.
        $current->{end} = defined $blank_at ? $blank_at : $end;
        push @entries, $current;
    };
    while (my $text = <$in>) {
        $line++;
        my $next = $offset + length $text;
        if ($previous_blank and $text =~ /\AFrom .*\d{4}/) {
            $finish->($offset);
            $current = {line => $line, from_ => $text, start => $next};
        } elsif (not $current and $text !~ /\A\r?\n\z/) {
            push @problems, "$where_file:$line: not an mbox: a message must start with a 'From ' line";
            last;
        }
        if ($text =~ /\A\r?\n\z/) {
            $blank_at       = $offset;
            $previous_blank = 1;
        } else {
            undef $blank_at;
            $previous_blank = 0;
        }
        $offset = $next;
    }
    $finish->($offset);
    push @problems, "$where_file: no messages" unless @entries or @problems;
}

sub raw_message {
    my $entry = shift;
    seek $in, $entry->{start}, SEEK_SET or die "$ME: cannot seek in $where_file: $ERRNO\n";
    my $raw = '';
    my $length = $entry->{end} - $entry->{start};
    if ($length > 0) {
        read($in, $raw, $length) == $length
            or die "$ME: cannot read $where_file: $ERRNO\n";
    }
    # mboxrd and mboxo: a quoted From_ line loses one '>'.
    $raw =~ s/^>(>*From )/$1/mg;
    return $raw;
}

sub usable_date {
    my ($text, $zone) = @_;
    return undef unless defined $text and $text =~ /\S/;
    # Date::Parse takes a missing day, month or year from today's date: such a date is not usable.
    my (undef, undef, undef, $day, $month, $year) = strptime($text, $zone);
    return undef unless defined $day and defined $month and defined $year;
    my $epoch = str2time($text, $zone);
    return undef unless defined $epoch and $epoch > 0 and $epoch <= time + 86400;
    return int $epoch;
}

sub month_of { strftime '%Y-%m', localtime shift }

# RFC 5322 date in UTC, without the locale's names.
sub rfc5322_date {
    my @t = gmtime shift;
    return sprintf '%s, %02d %s %d %02d:%02d:%02d +0000',
        (qw(Sun Mon Tue Wed Thu Fri Sat))[$t[6]], $t[3],
        (qw(Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec))[$t[4]], $t[5] + 1900,
        @t[2, 1, 0];
}

# A message filed by its From_ line date gets a Received: field of that date on top (after a
# Return-Path: there), its other fields untouched: MHonArc dates a message by its first Received:
# field, then its Date: field (its default DATEFIELDS), so that the web archive shows and sorts
# it by that date rather than by the time of the rebuild.
sub with_received {
    my ($raw, $epoch) = @_;
    my $received = sprintf "Received: by %s (%s, mbox import, From_ line date); %s\n",
        $robot, $ME, rfc5322_date($epoch);
    $raw =~ s/\A((?:Return-[Pp]ath:.*\n(?![ \t]))?)/$1$received/;
    return $raw;
}

# Pass 2 (still reading only): each message parsed by Sympa, dated, identified.
my $read_started = time;
my (%in_file, $no_id);
my $honour_no_archive = !Sympa::Tools::Data::smart_eq(
    $Conf::Conf{'ignore_x_no_archive_header_feature'}, 'on');
for my $entry (@entries) {
    my $where = "$where_file:$entry->{line}";
    my $raw   = raw_message($entry);
    unless ($raw =~ /\A[!-9;-~]+:/) {
        push @problems, "$where: the message has no header";
        next;
    }
    my $message = Sympa::Message->new($raw, context => $list);
    unless ($message) {
        push @problems, "$where: Sympa cannot parse the message";
        next;
    }
    $entry->{size} = length $raw;
    my $date_text = $message->get_header('Date');
    my $epoch     = usable_date($date_text);
    unless (defined $epoch) {
        my ($from_date) = $entry->{from_} =~ /\AFrom\s+\S*\s+(.*?)\s*\z/;
        $epoch = usable_date($from_date, 'UTC');
        unless (defined $epoch) {
            push @problems,
                sprintf "%s: no usable date: Date: %s, From_ line '%s'", $where,
                (defined $date_text ? "'$date_text'" : 'none'), $entry->{from_} =~ s/\s+\z//r;
            next;
        }
        $entry->{note} = sprintf "%s: Date: %s is not usable; filed by its From_ line date, in %s",
            $where, (defined $date_text ? "'$date_text'" : 'missing'), month_of($epoch);
        $entry->{undated} = 1;
    }
    $entry->{date}  = $epoch;
    $entry->{month} = month_of($epoch);

    my $id = $message->get_header('Message-Id');
    $id = Sympa::Tools::Text::canonic_message_id($id) if defined $id;
    if (defined $id and $id =~ /\S/) {
        $entry->{id} = $id;
        if (my $first = $in_file{$id}) {
            $entry->{skip} = "$where: Message-ID <$id> is in the file already (line $first->{line}): skipped";
            next;
        }
        $in_file{$id} = $entry;
    } else {
        $no_id++;
    }
    if ($honour_no_archive
        and (grep {/yes/i} $message->get_header('X-no-archive')
            or grep {/no\-external\-archive/i} $message->get_header('Restrict'))) {
        $entry->{skip} = "$where: marked X-No-Archive or Restrict: no-external-archive: skipped";
    }
}
if (@problems) {
    warn_ $_ for @problems;
    warn_ "nothing imported into $address (" . scalar(@problems) . ' problems)';
    exit 2;
}
my $read_time = time - $read_started;

# What the archive has already: the Message-ID of every message of every month (arctxt and
# deleted/), read from the header only.
my $archive = Sympa::Archive->new(context => $list, create => !$dry_run);
my $scan_started = time;
my %archived;
for my $arc ($archive->get_archives) {
    for my $sub ('arctxt', 'deleted') {
        my $dir = "$archive->{base_directory}/$arc/$sub";
        opendir my $dh, $dir or next;
        for my $f (grep {/\A\d+\z/} readdir $dh) {
            open my $fh, '<', "$dir/$f" or next;
            my $head = '';
            while (my $l = <$fh>) {
                last if $l =~ /\A\r?\n\z/;
                $head .= $l;
            }
            close $fh;
            if ($head =~ /^Message-ID:[ \t]*(.*(?:\r?\n[ \t].*)*)/mi) {
                my $id = Sympa::Tools::Text::canonic_message_id($1 =~ s/\r?\n[ \t]+/ /gr);
                $archived{$id} = "$arc/$sub/$f" if defined $id;
            }
        }
        closedir $dh;
    }
}
for my $entry (grep { $_->{id} and not $_->{skip} } @entries) {
    if (my $there = $archived{$entry->{id}}) {
        $entry->{skip} = sprintf '%s:%d: Message-ID <%s> is archived already (%s): skipped',
            $where_file, $entry->{line}, $entry->{id}, $there;
    }
}
my $scan_time = time - $scan_started;

my @todo = sort { $a->{date} <=> $b->{date} or $a->{line} <=> $b->{line} }
    grep { not $_->{skip} } @entries;
my @skipped = grep { $_->{skip} } @entries;
# Each kind of note in full up to 20 lines, then counted.
sub some {
    my ($what, @lines) = @_;
    print "$ME: $_\n" for @lines[0 .. ($#lines < 19 ? $#lines : 19)];
    printf "%s: ... and %d more %s\n", $ME, @lines - 20, $what if @lines > 20;
}
some('messages filed by their From_ line date', map { $_->{note} } grep { $_->{note} } @todo);
some('messages skipped', map { $_->{skip} } @skipped);

my %count;
$count{$_->{month}}++ for @todo;

# Sympa's archive limits, as archived.pl applies them to posts.
my $quota = $list->{'admin'}{'archive'}{'quota'};
if ($quota and @todo) {
    my $used  = $archive->get_size;
    my $added = 0;
    $added += $_->{size} for @todo;
    if ($used + $added >= $quota * 1024) {
        warn_ sprintf 'the archive quota of %s (%d KB) would be exceeded '
            . '(%d KB used, %d KB to import): nothing imported', $address, $quota,
            $used / 1024, $added / 1024;
        exit 1;
    }
}
my $max_month = $list->{'admin'}{'archive'}{'max_month'};
if ($max_month) {
    my %months = map { $_ => 1 } $archive->get_archives, keys %count;
    warn_ sprintf 'note: %s keeps %d months of archive (archive.max_month); archived.pl '
        . 'removes the oldest of the %d months there will be when it files a post in a new month',
        $address, $max_month, scalar keys %months
        if keys %months > $max_month;
}

if ($dry_run) {
    say_ sprintf '%s: %d messages would be imported', $_, $count{$_} for sort keys %count;
    say_ sprintf 'dry run: %d messages read from %s, %d would be imported into %s, '
        . '%d skipped, %d without Message-ID; nothing written (%.1f s: reading %.1f s, '
        . 'archive scan %.1f s)',
        scalar @entries, $where_file, scalar @todo, $address, scalar @skipped, $no_id // 0,
        time - $started, $read_time, $scan_time;
    exit 0;
}

# Months archived.pl may be writing to now: this month, yesterday's, those of spooled posts.
my %live;
my $archived_running = do {
    my $pid_file = Sympa::Constants::PIDDIR() . '/archived.pid';
    my $pid;
    if (open my $fh, '<', $pid_file) {
        ($pid) = <$fh> =~ /(\d+)/;
        close $fh;
    }
    $pid and kill 0, $pid;
};
if ($archived_running) {
    $live{month_of(time)}         = 1;
    $live{month_of(time - 86400)} = 1;
    if (opendir my $dh, $Conf::Conf{'queueoutgoing'}) {
        for (readdir $dh) { $live{month_of($1)} = 1 if /\A(\d+)\./ }
        closedir $dh;
    }
}

# Writing: each message as archived.pl stores a post (Sympa::Archive::store), in date order.
my $store_started = time;
my (%stored, %spooled_count, @spooled, @failed);
my $spool = Sympa::Spool::Archive->new;
for my $entry (@todo) {
    my $raw = raw_message($entry);
    $raw = with_received($raw, $entry->{date}) if $entry->{undated};
    my $message = Sympa::Message->new($raw, context => $list, date => $entry->{date});
    unless ($message) {
        push @failed, "$where_file:$entry->{line}: Sympa cannot parse the message";
        next;
    }
    if ($live{$entry->{month}}) {
        my $marshalled = $spool->store($message);
        if ($marshalled) {
            push @spooled, $marshalled;
            $spooled_count{$entry->{month}}++;
        } else {
            push @failed, "$where_file:$entry->{line}: not stored into the archive spool";
        }
    } elsif ($archive->store($message)) {
        $stored{$entry->{month}}++;
    } else {
        push @failed, "$where_file:$entry->{line}: not stored into $entry->{month}";
    }
}
my $store_time = time - $store_started;

# The web archive of each month written here, rebuilt from arctxt (sympa rebuildarc's code).
my $html_started = time;
for my $arc (sort keys %stored) {
    my $t = time;
    # MHonArc reports each message it reads on standard output: not ours.
    open my $stdout, '>&', \*STDOUT or die "$ME: cannot dup stdout: $ERRNO\n";
    open STDOUT, '>', '/dev/null' or die "$ME: cannot redirect stdout: $ERRNO\n";
    $archive->html_rebuild($arc);
    open STDOUT, '>&', $stdout or die "$ME: cannot restore stdout: $ERRNO\n";
    my $pages = 0;
    if (opendir my $dh, "$archive->{base_directory}/$arc") {
        $pages = grep {/\Amsg\d+\.html\z/} readdir $dh;
        closedir $dh;
    }
    say_ sprintf '%s: %d messages imported; web archive rebuilt in %.1f s (%d message pages)',
        $arc, $stored{$arc}, time - $t, $pages;
    push @failed, "$arc: the web archive has no message page after the rebuild" unless $pages;
}
my $html_time = time - $html_started;

# Messages handed to archived.pl: wait until it has filed them (or stops making progress).
my $spool_time = 0;
if (@spooled) {
    my $t = time;
    say_ sprintf '%s: %d messages handed to archived.pl (a month it may be writing to)', $_,
        $spooled_count{$_} for sort keys %spooled_count;
    my $dir  = $Conf::Conf{'queueoutgoing'};
    my $left = scalar @spooled;
    my $last_progress = time;
    while ($left) {
        sleep 1;
        my $now_left = grep { -e "$dir/$_" } @spooled;
        $last_progress = time if $now_left < $left;
        $left = $now_left;
        if ($left and time - $last_progress > 120) {
            warn_ "$left messages still wait in the archive spool ($dir): archived.pl files them "
                . 'when it runs';
            last;
        }
    }
    my @bad = grep { -e "$dir/bad/$_" } @spooled;
    push @failed, "archived.pl could not file $_ (kept in $dir/bad)" for @bad;
    $spool_time = time - $t;
}

# CPU time too (this process and MHonArc): on a shared machine the wall clock says little.
my ($user, $system, $child_user, $child_system) = times;
printf "%s: imported %d messages into %s in %.1f s (reading %.1f s, archive scan %.1f s, "
    . "arctxt %.1f s, web archive %.1f s%s; CPU %.1f s); %d skipped, %d without Message-ID\n",
    $ME, scalar(@todo) - scalar(grep { /\A\Q$where_file\E:/ } @failed), $address,
    time - $started, $read_time, $scan_time, $store_time, $html_time,
    (@spooled ? sprintf(', archived.pl %.1f s', $spool_time) : ''),
    $user + $system + $child_user + $child_system, scalar @skipped, $no_id // 0;
if (@failed) {
    warn_ $_ for @failed;
    exit 1;
}
exit 0;
