#!/usr/bin/env python3
"""Writes a test mbox for `sympa-appliance-archive import` and a JSON manifest of what the list's
archive should hold afterwards.

    make-mbox.py [--count 500] [--seed 1] [--first-month 2024-01] [--months 6]
                 [--attachment-bytes 2097152] OUT.mbox OUT.json

Deterministic: the same arguments give the same bytes. Only the standard library.

What the mbox holds (COUNT messages in all, dates spread over MONTHS months from FIRST-MONTH,
written in shuffled order so that the importer has to sort them):
  - plain messages from a few authors, some with non-ASCII display names;
  - non-ASCII subjects (RFC 2047 encoded words: French, German, Japanese, Cyrillic, an emoji);
  - one thread: a first message and four replies (In-Reply-To, References), same month;
  - one message with a binary attachment (random bytes, application/octet-stream);
  - a body line starting with "From " (the mbox writer quotes it as ">From ");
  - a Date: header at +0200 that is still the previous month in UTC;
  - one message without a Date: header and one with an unparsable Date: (both are filed by the
    date of their mbox From_ line, which the manifest counts).
The manifest's months are UTC months (the appliance runs in UTC).
"""

import argparse
import calendar
import datetime
import email.policy
import email.utils
import hashlib
import json
import mailbox
import random
from email.message import EmailMessage

UTC = datetime.timezone.utc
DOMAIN = "lists.example.org"
AUTHORS = [
    ("Alice Martin", "alice@example.org"),
    ("Bob Smith", "bob@example.net"),
    ("Zoë Müller", "zoe@example.de"),
    ("Jérôme Lefèvre", "jerome@example.fr"),
    ("山田 太郎", "taro@example.jp"),
    ("Carol", "carol@example.com"),
]
SUBJECTS_ASCII = [
    "Meeting notes",
    "Question about the build",
    "Release plan",
    "Minutes of the last call",
    "Proposal: new mirror",
]
SUBJECTS_NON_ASCII = [
    "Réunion du comité à Genève",
    "Grüße aus München",
    "日本語の件名",
    "Привет из Москвы",
    "Café ☕ and 🎉 party",
]
OFFSETS = [0, 60, 120, -300, 330, 540]  # minutes east of UTC


def month_key(epoch):
    return datetime.datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m")


def month_range(first, months):
    year, month = map(int, first.split("-"))
    start = datetime.datetime(year, month, 1, tzinfo=UTC)
    end_month = month - 1 + months
    end = datetime.datetime(year + end_month // 12, end_month % 12 + 1, 1, tzinfo=UTC)
    return int(start.timestamp()), int(end.timestamp())


def date_header(epoch, offset_minutes):
    tz = datetime.timezone(datetime.timedelta(minutes=offset_minutes))
    return email.utils.format_datetime(datetime.datetime.fromtimestamp(epoch, tz))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first-month", default="2024-01")
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--attachment-bytes", type=int, default=2 * 1024 * 1024)
    parser.add_argument("mbox")
    parser.add_argument("manifest")
    args = parser.parse_args()
    if args.count < 20 or args.months < 2:
        parser.error("at least 20 messages over 2 months")

    rng = random.Random(args.seed)
    start, end = month_range(args.first_month, args.months)
    # Second day onwards, so that the +0200 boundary message below is the only one that moves.
    times = sorted(rng.randrange(start + 86400, end - 3600) for _ in range(args.count))
    messages = []  # (epoch for the From_ line, EmailMessage, epoch Sympa files it by)

    def new_message(epoch, author, subject, body, msgid=None, offset=None, date=True):
        msg = EmailMessage(policy=email.policy.SMTP.clone(linesep="\n"))
        name, addr = author
        msg["From"] = email.utils.formataddr((name, addr))
        msg["To"] = "team@" + DOMAIN
        msg["Subject"] = subject
        if date is True:
            msg["Date"] = date_header(epoch, offset if offset is not None else rng.choice(OFFSETS))
        elif date:
            # The Date header class of the email package drops a value it cannot parse; kept raw.
            msg._headers.append(("Date", date))
        msg["Message-ID"] = msgid or "<arc-%d-%06d@test.example.org>" % (args.seed, len(messages))
        msg.set_content(body)
        messages.append((epoch, msg, epoch))
        return msg

    manifest = {"seed": args.seed, "count": args.count}

    # The thread: five messages within a day of the month's 10th, in the second month.
    thread_month_start = month_range(args.first_month, 2)[1] - 1
    thread_month_start = int(
        datetime.datetime.fromtimestamp(thread_month_start, UTC)
        .replace(day=10, hour=9, minute=0, second=0)
        .timestamp()
    )
    root_id = "<thread-root-%d@test.example.org>" % args.seed
    thread_subject = "Thread: where should the next meetup be?"
    ids = [root_id]
    new_message(
        thread_month_start, AUTHORS[0], thread_subject, "Proposals welcome.\n", msgid=root_id, offset=0
    )
    for i in range(1, 5):
        msgid = "<thread-reply-%d-%d@test.example.org>" % (args.seed, i)
        msg = new_message(
            thread_month_start + i * 3600,
            AUTHORS[i % len(AUTHORS)],
            "Re: " + thread_subject,
            "Reply number %d.\n\n> Proposals welcome.\n" % i,
            msgid=msgid,
            offset=0,
        )
        parent = ids[-1] if i % 2 else root_id  # a small tree, not just a chain
        msg["In-Reply-To"] = parent
        msg["References"] = " ".join(ids[: ids.index(parent) + 1])
        ids.append(msgid)
    manifest["thread"] = {
        "subject": thread_subject,
        "month": month_key(thread_month_start),
        "message_ids": ids,
    }

    # The attachment, third month.
    attach_time = month_range(args.first_month, 3)[1] - 20 * 86400
    payload = rng.randbytes(args.attachment_bytes)
    msg = new_message(
        attach_time,
        AUTHORS[1],
        "Binary attachment",
        "The file is attached.\n",
        msgid="<attachment-%d@test.example.org>" % args.seed,
        offset=60,
    )
    msg.add_attachment(
        payload, maintype="application", subtype="octet-stream", filename="payload.bin"
    )
    msg.set_boundary("=-=arc-boundary-%d=-=" % args.seed)  # else random: not deterministic
    manifest["attachment"] = {
        "filename": "payload.bin",
        "bytes": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "month": month_key(attach_time),
        "subject": "Binary attachment",
        "message_id": "<attachment-%d@test.example.org>" % args.seed,
    }

    # A body line starting with "From ": the mbox file has ">From ", the archive "From ".
    from_token = "From here on the text is quoted in the mbox (%d)." % args.seed
    msg = new_message(
        times[0], AUTHORS[2], "A line starting with From", "Hello,\n\n" + from_token + "\n", offset=0
    )
    manifest["from_line_body"] = {
        "text": from_token,
        "month": month_key(times[0]),
        "message_id": msg["Message-ID"],
    }

    # 00:30 on the 1st of the second month at +0200: 22:30 UTC on the last day of the first.
    boundary_local = month_range(args.first_month, 1)[1] + 1800  # the 1st, 00:30 UTC
    boundary_epoch = boundary_local - 7200
    msg = new_message(
        boundary_epoch,
        AUTHORS[3],
        "Sent just after midnight at +0200",
        "Filed in the previous month (UTC).\n",
        offset=120,
    )
    manifest["boundary"] = {
        "subject": "Sent just after midnight at +0200",
        "month": month_key(boundary_epoch),
        "message_id": msg["Message-ID"],
    }

    # No Date:, and an unusable Date: — both filed by their From_ line date.
    undated = [
        new_message(times[1], AUTHORS[5], "No Date header", "No Date: here.\n", date=False),
        new_message(
            times[2], AUTHORS[5], "Unparsable Date header", "Bad Date: here.\n", date="yesterday-ish"
        ),
    ]
    # The web archive shows them with their From_ line date (UTC), as RFC 5322 without the day.
    manifest["undated"] = [
        {
            "subject": msg["Subject"],
            "month": month_key(epoch),
            "from_line_date": email.utils.format_datetime(datetime.datetime.fromtimestamp(epoch, UTC)),
            "message_id": msg["Message-ID"],
        }
        for msg, epoch in zip(undated, times[1:3])
    ]

    # The rest: plain messages, some with non-ASCII subjects.
    non_ascii = []
    rest = times[3 : args.count - len(messages) + 3]
    spaced = {len(rest) * (2 * i + 1) // (2 * len(SUBJECTS_NON_ASCII)): s for i, s in enumerate(SUBJECTS_NON_ASCII)}
    for n, epoch in enumerate(rest):
        if n in spaced:
            subject = spaced[n]
            non_ascii.append(
                {
                    "subject": subject,
                    "month": month_key(epoch),
                    "message_id": "<arc-%d-%06d@test.example.org>" % (args.seed, len(messages)),
                }
            )
        elif rng.random() < 0.2:
            subject = rng.choice(SUBJECTS_NON_ASCII) + " #%d" % n
        else:
            subject = rng.choice(SUBJECTS_ASCII) + " #%d" % n
        body = "Message %d.\n\n%s\n" % (
            n,
            " ".join(rng.choice(["lorem", "ipsum", "dolor", "sit", "amet", "élan", "naïve"]) for _ in range(40)),
        )
        new_message(epoch, rng.choice(AUTHORS), subject, body)
    manifest["non_ascii_subjects"] = non_ascii
    assert len(messages) == args.count, (len(messages), args.count)

    months = {}
    for _, _, filed in messages:
        months[month_key(filed)] = months.get(month_key(filed), 0) + 1
    manifest["months"] = dict(sorted(months.items()))

    rng.shuffle(messages)
    if __import__("os").path.exists(args.mbox):
        __import__("os").remove(args.mbox)
    box = mailbox.mbox(args.mbox, create=True)
    box.lock()
    for epoch, msg, _ in messages:
        entry = mailbox.mboxMessage(msg)
        name, addr = email.utils.parseaddr(msg["From"])
        entry.set_from(addr, time_=datetime.datetime.fromtimestamp(epoch, UTC).timetuple())
        box.add(entry)
    box.flush()
    box.unlock()
    box.close()

    with open(args.manifest, "w", encoding="utf-8") as out:
        json.dump(manifest, out, ensure_ascii=False, indent=2)
        out.write("\n")


if __name__ == "__main__":
    main()
