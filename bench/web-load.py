#!/usr/bin/env python3
"""A bounded HTTP load on one page of the web interface: CLIENTS threads, each with its own
connection and Sympa session, request the page again and again for SECONDS; prints one JSON
object with the request count, errors and the latency percentiles (ms).

Usage: web-load.py PORT HOST PATH CLIENTS SECONDS [--archive]
  PORT     where Docker published the appliance's port 80 on 127.0.0.1
  HOST     the public host name (the Host header; cookies are Sympa's, sent back by hand)
  --archive  each client first passes the archive's "I am not a spammer" page once, as a
             visitor does, and follows the archive's redirect to its latest month: the timed
             requests get that month's page (reported as "page")

Standard library only (http.client, threads): the point is the server's latency; the client's own
CPU time is printed too (client_cpu_s), to show it is not the limit.
"""
import http.client
import json
import re
import sys
import threading
import time

port, host, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
clients, seconds = int(sys.argv[4]), float(sys.argv[5])
archive = "--archive" in sys.argv[6:]


def request(conn, method, url, cookie, body=None):
    """Returns (status, text, cookie, the Location header's path or None)."""
    headers = {"Host": host, "Connection": "keep-alive"}
    if cookie:
        headers["Cookie"] = "sympa_session=" + cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, url, body=body, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    for name, value in response.getheaders():
        match = re.match(r"sympa_session=([^;]+)", value) if name.lower() == "set-cookie" else None
        if match:
            cookie = match.group(1)
    location = response.getheader("Location")
    return response.status, text, cookie, re.sub(r"^https?://[^/]+", "", location) if location else None


def pass_archive_protection(conn):
    """GET the archive, submit its confirmation form (hidden fields + the confirm button), then
    follow the archive's redirects; returns the session and the page reached."""
    status, text, cookie, _ = request(conn, "GET", path, None)
    form = re.search(r'<form[^>]*>(?:(?!</form>).)*response_action_confirm(?:(?!</form>).)*</form>', text, re.S)
    if not form:
        raise SystemExit("web-load: no archive confirmation form at " + path)
    fields = re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(0))
    fields.append(("response_action_confirm", "1"))
    from urllib.parse import urlencode
    request(conn, "POST", "/sympa", cookie, urlencode(fields))
    page = path
    status, text, cookie, location = request(conn, "GET", page, cookie)
    while status in (301, 302, 303) and location:
        page = location
        status, text, cookie, location = request(conn, "GET", page, cookie)
    if status != 200 or "response_action_confirm" in text:
        raise SystemExit("web-load: the archive did not open after confirming: %s %s" % (status, page))
    return cookie, page


latencies, errors, pages, lock = [], [], [], threading.Lock()
start_barrier = threading.Barrier(clients + 1)


def client():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    page = path
    if archive:
        cookie, page = pass_archive_protection(conn)
    else:
        cookie = request(conn, "GET", path, None)[2]
    mine, failed = [], 0
    start_barrier.wait()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        try:
            status, _, cookie, _ = request(conn, "GET", page, cookie)
            if status != 200:
                failed += 1
            else:
                mine.append((time.monotonic() - t0) * 1000)
        except (OSError, http.client.HTTPException):
            failed += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    with lock:
        pages.append(page)
        latencies.extend(mine)
        errors.append(failed)


cpu_before = time.process_time()
threads = [threading.Thread(target=client) for _ in range(clients)]
for t in threads:
    t.start()
start_barrier.wait()
began = time.monotonic()
for t in threads:
    t.join()
elapsed = time.monotonic() - began
latencies.sort()


def percentile(p):
    return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 1) if latencies else None


print(json.dumps({"path": path, "page": sorted(set(pages)), "clients": clients, "seconds": round(elapsed, 1), "requests": len(latencies),
                  "errors": sum(errors), "per_second": round(len(latencies) / elapsed, 1),
                  "p50_ms": percentile(50), "p95_ms": percentile(95), "max_ms": percentile(100),
                  "client_cpu_s": round(time.process_time() - cpu_before, 1)}))
