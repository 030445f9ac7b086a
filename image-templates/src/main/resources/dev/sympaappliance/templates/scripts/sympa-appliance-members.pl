#!/usr/bin/perl
# sympa-appliance-members: adds many members to a list at once, through Sympa's own
# Sympa::List::add_list_member (the same call `sympa add` makes), in one call for the whole file.
#
#   sympa-appliance-members add LIST@DOMAIN FILE     (FILE may be -, standard input)
#
# FILE is CSV, one member per line: ADDRESS[,NAME[,MODE]]. MODE is a reception mode the list
# offers (mail, digest, digestplain, summary, nomail, ...); without it, the list's default.
# Blank lines and lines starting with # are skipped. Every line is checked before anything is
# added: a bad address or mode, or an address given twice, is reported as FILE:LINE and nothing is
# added (exit 2). Members the list already has are reported and left as they are. No welcome mail.
#
# Why not `sympa add`: it renders its report template (mail_tt2/report.tt2) with Template Toolkit
# for every member, twice; parsing it costs about 70 ms of CPU each time, so 1,000 members take
# about 140 s. add_list_member itself adds about a thousand members a second.
use lib '/usr/share/sympa/lib';
use strict;
use warnings;
use English qw(-no_match_vars);
use Text::CSV_XS;
use Time::HiRes qw(time);

use Sympa::CLI;
use Sympa::List;
use Sympa::Tools::Text;

sub usage {
    print STDERR "usage: sympa-appliance-members add LIST\@DOMAIN FILE|-\n";
    exit 2;
}

my ($command, $address, $file) = @ARGV;
usage() unless defined $file and $command eq 'add' and @ARGV == 3;
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
    if ($list->get_list_member($email)) {
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

my $started = time;
my $stash   = [];
$list->add_list_member(@users, stash => $stash) if @users;
my @errors = grep { $_->[0] ne 'notice' } @$stash;
my $added  = 0;
$added += $_->[2]{total} // 0 for grep { $_->[1] eq 'add_performed' } @$stash;
printf "sympa-appliance-members: added %d members to %s in %.1f s (%d already members)\n",
    $added, $address, time - $started, scalar @already;
if (@errors or $added != @users) {
    printf STDERR "sympa-appliance-members: %s %s\n", $_->[1], $_->[2]{email} // ''
        for @errors;
    exit 1;
}
exit 0;
