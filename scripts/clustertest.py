"""`make clustertest`: load the cluster through nginx, break parts of it, check the promises.

Called by scripts/cluster.py once the cluster runs. While wrk sends a mix of
anonymous pages through nginx for ``seconds``, Python threads upload
proposals with attachments (each from its own loopback address, as separate
visitors), edit a practice as staff and read each edit back anonymously
(through nginx and straight from the node that did not take it) while two
visitors read that practice's page without pause, and poll a database
page. Meanwhile node A is killed and restarted, then the
replica is stopped and started again. Before the load, node-to-node checks
(an edit through A seen through B, an upload through A downloaded through
B, rate limits counted across both); after it, the written rows are counted
against the acknowledged requests and two restore drills are run (pg_dump
and pg_restore of the primary with a copy of the object store; a base
backup taken before the load brought to a named point after it from the
archived WAL). One JSON report on stdout; the exit code says whether every
check held.
"""

import html.parser
import json
import random
import re
import shutil
import signal
import subprocess
import threading
import time
import uuid

import psycopg
import requests
import urllib3
from cluster import BUCKET, DB_NAME, HOST, PORTS, ROOT, STAFF_PASSWORD, STAFF_USER, log
from requests.adapters import HTTPAdapter

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
WRK_CONNECTIONS = 16
# A request in flight when a part fails may fail; later ones may not.
RECOVERY_SECONDS = 4.0


class SourceAdapter(HTTPAdapter):
    """Send from a given loopback address: each one is a separate visitor to the rate limits."""

    def __init__(self, source, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


class Client:
    """A visitor: cookies kept by hand (secure cookies over a node's plain HTTP too)."""

    def __init__(self, base, source=None, node=False):
        self.base = base
        self.session = requests.Session()
        self.session.verify = False
        if source:
            self.session.mount("http://", SourceAdapter(source))
            self.session.mount("https://", SourceAdapter(source))
        self.cookies = {}
        # Straight to a node: the headers nginx would add.
        self.headers = (
            {"Host": f"{HOST}:{PORTS['nginx']}", "X-Forwarded-Proto": "https"} if node else {}
        )
        self.origin = f"https://{HOST}:{PORTS['nginx']}"

    def request(self, method, path, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if method == "POST":
            headers.setdefault("Referer", self.origin + path)
            headers.setdefault("Origin", self.origin)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if cookie:
            headers["Cookie"] = cookie
        response = self.session.request(
            method,
            self.base + path,
            headers=headers,
            allow_redirects=False,
            # Explicitly: REQUESTS_CA_BUNDLE in the environment would win over the session's.
            verify=False,
            timeout=kwargs.pop("timeout", 20),
            **kwargs,
        )
        self.session.cookies.clear()
        for name, value in response.cookies.items():
            self.cookies[name] = value
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def csrf(self, path):
        page = self.get(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not match:
            raise RuntimeError(f"no CSRF token on {path} ({page.status_code})")
        return match.group(1), page

    def login(self):
        token, _ = self.csrf("/admin/login/")
        response = self.post(
            "/admin/login/?next=/admin/",
            data={
                "csrfmiddlewaretoken": token,
                "username": STAFF_USER,
                "password": STAFF_PASSWORD,
                "next": "/admin/",
            },
        )
        if response.status_code != 302:
            raise RuntimeError(f"staff login failed ({response.status_code})")


class FormReader(html.parser.HTMLParser):
    """The values a browser would send for the admin change form."""

    def __init__(self):
        super().__init__()
        self.fields = []
        self.in_form = False
        self.select = None
        self.textarea = None
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image"):
                return
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, "".join(self.text).lstrip("\n")))
            self.textarea = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def edit_title(staff, practice_id, title):
    """Change a practice's title through its admin form; return whether it was acknowledged."""
    path = f"/admin/practices/goodpractice/{practice_id}/change/"
    page = staff.get(path)
    reader = FormReader()
    reader.feed(page.text)
    fields = [(n, title if n == "title" else v) for n, v in reader.fields]
    response = staff.post(path, data=fields + [("_continue", "1")])
    return response.status_code == 302, response


def propose(client, title, token_page="/practices/propose/"):
    """Post a proposal with an attachment; return the response."""
    token, _ = client.csrf(token_page)
    data = {
        "csrfmiddlewaretoken": token,
        "title": title,
        "summary": "A cluster test proposal.",
        "description": "Written by make clustertest.",
        "resources_needed": "None.",
        "evidence_of_success": "None.",
        "difficulties": "None.",
        "potential_for_transfer": "None.",
        "start_date": "2020-01-01",
        "end_date": "",
        "status": "ongoing",
        "city": "Łódź",
        "keywords": "test",
        "further_information": "",
        "language": "en",
        "organisation_name": "",
        "proposer_name": "Cluster Test",
        "proposer_organisation": "Cluster",
        "proposer_email": "proposer@cluster.invalid",
        "consent_to_contact": "on",
        "homepage": "",
    }
    files = {"attachments": (f"{title}.pdf", PDF_BYTES, "application/pdf")}
    return client.post("/practices/propose/", data=data, files=files)


def query(cluster, sql, params=(), which="primary"):
    with psycopg.connect(cluster.db_url(which), autocommit=True, connect_timeout=3) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


# Checks before the load ----------------------------------------------------------------


def check_edit_across_nodes(cluster, report):
    a, b = (
        Client(cluster.node_url("node-a"), node=True),
        Client(cluster.node_url("node-b"), node=True),
    )
    a.login()
    ((practice_id, slug),) = query(
        cluster,
        "SELECT id, slug FROM practices_goodpractice WHERE publication_state = 'published' "
        "ORDER BY id LIMIT 1",
    )
    b.get(f"/practices/{slug}/")  # in the page cache now
    title = f"Edited through node A {uuid.uuid4().hex[:8]}"
    acknowledged, _ = edit_title(a, practice_id, title)
    page = b.get(f"/practices/{slug}/")
    ok = acknowledged and page.status_code == 200 and title in page.text
    report["checks"]["edit_on_a_seen_on_b"] = {"ok": ok, "acknowledged": acknowledged}
    return practice_id, slug


def check_upload_across_nodes(cluster, report):
    visitor = Client(cluster.node_url("node-a"), source="127.0.0.8", node=True)
    title = f"clustertest upload {uuid.uuid4().hex[:8]}"
    response = propose(visitor, title)
    rows = query(
        cluster,
        "SELECT p.id, a.id, a.file FROM practices_practiceproposal p "
        "JOIN practices_proposalattachment a ON a.proposal_id = p.id WHERE p.title = %s",
        (title,),
    )
    ok = response.status_code == 302 and len(rows) == 1
    detail = {"post_status": response.status_code}
    if rows:
        proposal_id, attachment_id, name = rows[0]
        # Staff see proposals once confirmed by e-mail; confirm it here.
        query(
            cluster,
            "UPDATE practices_practiceproposal SET state = 'submitted' WHERE id = %s",
            (proposal_id,),
        )
        staff = Client(cluster.node_url("node-b"), node=True)
        staff.login()
        download = staff.get(
            f"/admin/practices/practiceproposal/{proposal_id}/attachments/{attachment_id}/"
        )
        anonymous = Client(cluster.node_url("node-b"), node=True).get(
            f"/admin/practices/practiceproposal/{proposal_id}/attachments/{attachment_id}/"
        )
        stored = cluster.s3().get_object(Bucket=BUCKET, Key=name)["Body"].read()
        detail.update(
            staff_status=download.status_code,
            anonymous_status=anonymous.status_code,
            in_object_store=stored == PDF_BYTES,
        )
        ok = ok and download.content == PDF_BYTES and anonymous.status_code == 302
        # The store has no public access: an unsigned read is refused.
        unsigned = requests.get(f"http://{HOST}:{PORTS['s3']}/{BUCKET}/{name}", timeout=5)
        detail["unsigned_status"] = unsigned.status_code
        ok = ok and stored == PDF_BYTES and unsigned.status_code == 403
    report["checks"]["upload_on_a_downloaded_on_b"] = {"ok": ok, **detail}


def check_shared_rate_limit(cluster, report):
    clients = [
        Client(cluster.node_url(node), source="127.0.0.9", node=True)
        for node in ("node-a", "node-b")
    ]
    # A search of its own each time: a download served from the page cache
    # costs no database time and is not counted (infra.caching).
    statuses = [
        clients[i % 2].get(f"/practices/?format=csv&q=cluster{i}").status_code for i in range(11)
    ]
    ok = statuses[:10] == [200] * 10 and statuses[10] == 429
    report["checks"]["rate_limit_across_nodes"] = {"ok": ok, "statuses": statuses}


# The load --------------------------------------------------------------------------------


def load_paths(cluster):
    practices = [
        r[0]
        for r in query(
            cluster, "SELECT slug FROM practices_goodpractice WHERE publication_state = 'published'"
        )
    ]
    events = [
        r[0]
        for r in query(
            cluster, "SELECT slug FROM events_event WHERE publication_state = 'published'"
        )
    ]
    paths = ["/", "/practices/", "/events/", "/regions/", "/api/v1/practices/", "/api/v1/events/"]
    paths += [f"/practices/{slug}/" for slug in practices]
    paths += [f"/events/{slug}/" for slug in events]
    paths += ["/practices/?q=innovation", "/practices/?q=energy", "/pl/practices/", "/ro/events/"]
    return paths


class Timeline:
    """Results of the Python threads: (seconds since start, what, status or error, upstream)."""

    def __init__(self, start):
        self.start = start
        self.rows = []
        self.lock = threading.Lock()

    def add(self, what, status, upstream=""):
        with self.lock:
            self.rows.append((round(time.monotonic() - self.start, 2), what, status, upstream))


def outcome(call):
    try:
        response = call()
    except requests.RequestException as error:
        return type(error).__name__, None
    return response.status_code, response


def poller(cluster, stop, timeline):
    client = Client(cluster.base_url)
    while not stop.is_set():
        status, response = outcome(lambda: client.get("/api/v1/practices/?ordering=-id"))
        upstream = response.headers.get("X-Upstream", "") if response is not None else ""
        timeline.add("read", status, upstream)
        client.cookies.clear()
        time.sleep(0.1)


def uploader(cluster, stop, timeline, acked, number):
    n = 0
    while not stop.is_set():
        n += 1
        # A fresh visitor address every 4 posts: the form allows 5 an hour each.
        source = f"127.0.{10 + number}.{(n // 4) % 250 + 1}"
        client = Client(cluster.base_url, source=source)
        title = f"clustertest load {number}-{n} {uuid.uuid4().hex[:6]}"
        status, response = outcome(lambda c=client, t=title: propose(c, t))
        timeline.add("upload", status)
        if status == 302:
            acked.append(title)
        time.sleep(random.uniform(0.5, 1.5))


DIAGNOSTIC_HEADERS = (
    "X-Upstream",
    "X-Page-Cache",
    "X-Page-Key",
    "X-Page-Built",
    "X-Read-From",
    "X-Process",
)


def diagnostics(response):
    """What the portal says about how it answered (DIAGNOSTIC_HEADERS=1 in the cluster)."""
    if response is None:
        return {}
    return {h: response.headers[h] for h in DIAGNOSTIC_HEADERS if h in response.headers}


def stored_title(cluster, practice_id, which):
    try:
        return query(
            cluster, "SELECT title FROM practices_goodpractice WHERE id = %s", (practice_id,), which
        )[0][0]
    except psycopg.Error as error:
        return type(error).__name__


def read_back(client, slug, title):
    status, page = outcome(lambda: client.get(f"/practices/{slug}/"))
    client.cookies.clear()
    return status, page, page is not None and page.status_code == 200 and title in page.text


def editor(cluster, stop, timeline, edits, practice, start):
    """Edit a practice as staff; read each acknowledged edit back at once, as a visitor.

    Each edit is read back through nginx (either node) and straight from the
    node that did not take the edit. A node that is down (killed by the
    test) cannot answer: that read is counted apart, not as stale.
    """
    practice_id, slug = practice
    staff = Client(cluster.base_url)
    staff.login()
    readers = {
        "nginx": Client(cluster.base_url),
        "node-a": Client(cluster.node_url("node-a"), node=True),
        "node-b": Client(cluster.node_url("node-b"), node=True),
    }
    upstreams = {f"{HOST}:{PORTS[node]}": node for node in ("node-a", "node-b")}
    n = 0

    def more():
        # Past the load, until one edit was read on the other node (a
        # loaded machine may make only a few edits, all while a node is down).
        if not stop.is_set():
            return True
        return not edits["read_on_other_node"] and time.monotonic() < stop.deadline

    while more():
        n += 1
        title = f"Staff edit {n} {uuid.uuid4().hex[:6]}"
        try:
            acknowledged, posted = edit_title(staff, practice_id, title)
        except requests.RequestException as error:
            timeline.add("edit", type(error).__name__)
            time.sleep(0.5)
            continue
        acked_at = round(time.monotonic() - start, 3)
        acked_wall = round(time.time(), 3)
        timeline.add("edit", 302 if acknowledged else "not acknowledged")
        if not acknowledged:
            continue
        edits["acked"].append(title)
        edited_on = upstreams.get(posted.headers.get("X-Upstream", "").split(",")[-1].strip())
        other = "node-b" if edited_on == "node-a" else "node-a"
        for via in ("nginx", other):
            status, page, seen = read_back(readers[via], slug, title)
            if via != "nginx" and page is None:
                edits["node_down"] += 1
                continue
            edits["read_back"] += 1
            edits["read_on_other_node"] += via != "nginx"
            if seen:
                continue
            # Everything that says why: the edit's node, the reading node,
            # process, database and cache entry, what each database holds
            # now, and whether reading again heals it.
            detail = {
                "title": title,
                "edited_at": acked_at,
                # To compare with the X-Page-Built time of the page served.
                "edit_acknowledged_at": acked_wall,
                "edited_on": edited_on,
                "read_via": via,
                "read_at": round(time.monotonic() - start, 3),
                "status": status,
                "read": diagnostics(page),
                "primary_title": stored_title(cluster, practice_id, "primary"),
                "replica_title": stored_title(cluster, practice_id, "replica"),
                "read_again": [],
            }
            for _ in range(3):
                time.sleep(0.2)
                status, page, seen = read_back(readers[via], slug, title)
                detail["read_again"].append({"status": status, "seen": seen, **diagnostics(page)})
            edits["stale"].append(detail)
        time.sleep(random.uniform(0.3, 0.8))


def hammer(cluster, stop, slug):
    """Read the edited practice's page without pause: a popular page, built while it is edited."""
    client = Client(cluster.base_url)
    while not stop.is_set():
        outcome(lambda: client.get(f"/practices/{slug}/"))
        client.cookies.clear()


def run_wrk(cluster, seconds, paths_file, result):
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(WRK_CONNECTIONS), "-d", f"{seconds}s", "--timeout", "10s"]
        + ["-s", str(ROOT / "bench" / "mix.lua"), cluster.base_url, "--", str(paths_file)],
        capture_output=True,
        text=True,
    )
    match = re.search(r"^WRKJSON (.*)$", out.stdout, re.M)
    result.update(json.loads(match.group(1)) if match else {"error": out.stdout + out.stderr})


def replica_reads(cluster):
    try:
        ((fetched,),) = query(
            cluster,
            "SELECT tup_fetched + tup_returned FROM pg_stat_database WHERE datname = %s",
            ("exchange",),
            which="replica",
        )
        return int(fetched)
    except psycopg.Error:
        return None


def load_with_faults(cluster, seconds, practice, report):
    paths_file = cluster.work / "paths.txt"
    paths_file.write_text("\n".join(load_paths(cluster)) + "\n")
    start = time.monotonic()
    timeline = Timeline(start)
    stop = threading.Event()
    acked, wrk = [], {}
    edits = {"acked": [], "stale": [], "read_back": 0, "read_on_other_node": 0, "node_down": 0}
    threads = [
        threading.Thread(target=run_wrk, args=(cluster, seconds, paths_file, wrk)),
        threading.Thread(target=poller, args=(cluster, stop, timeline)),
        threading.Thread(target=uploader, args=(cluster, stop, timeline, acked, 1)),
        threading.Thread(target=uploader, args=(cluster, stop, timeline, acked, 2)),
        threading.Thread(target=editor, args=(cluster, stop, timeline, edits, practice, start)),
        threading.Thread(target=hammer, args=(cluster, stop, practice[1])),
        threading.Thread(target=hammer, args=(cluster, stop, practice[1])),
    ]
    for thread in threads:
        thread.start()
    reads_before = replica_reads(cluster)
    faults = {}

    def at(fraction):
        time.sleep(max(0.0, start + seconds * fraction - time.monotonic()))
        return round(time.monotonic() - start, 2)

    faults["node_a_killed"] = at(0.25)
    cluster.kill("node-a", sig=signal.SIGKILL)
    faults["node_a_restarted"] = at(0.42)
    cluster.start_node("node-a")
    faults["node_a_listening"] = round(time.monotonic() - start, 2)
    faults["replica_stopped"] = at(0.58)
    reads_mid = replica_reads(cluster)
    cluster.stop_replica()
    faults["replica_restarted"] = at(0.75)
    cluster.start_replica()
    faults["replica_listening"] = round(time.monotonic() - start, 2)
    # Counted afresh: an immediate stop loses the replica's statistics.
    reads_restarted = replica_reads(cluster)
    threads[0].join()
    stop.deadline = time.monotonic() + 20
    stop.set()
    for thread in threads[1:]:
        thread.join(30)
    # The restarted replica catches up, then serves anonymous reads again.
    client, deadline = Client(cluster.base_url), time.monotonic() + 15
    reads_after = replica_reads(cluster)
    while time.monotonic() < deadline and (reads_after or 0) <= (reads_restarted or 0):
        client.get(f"/api/v1/practices/?page={random.randint(1, 3)}")
        time.sleep(0.2)
        reads_after = replica_reads(cluster)
    reads = (reads_before, reads_mid, reads_restarted, reads_after)
    return timeline, acked, edits, wrk, faults, reads


def judge(cluster, report, timeline, acked, edits, wrk, faults, reads):
    checks = report["checks"]
    windows = [
        (faults["node_a_killed"], faults["node_a_killed"] + RECOVERY_SECONDS),
        (faults["replica_stopped"], faults["replica_stopped"] + RECOVERY_SECONDS),
    ]

    def in_window(t):
        return any(lo <= t <= hi for lo, hi in windows)

    failed = [row for row in timeline.rows if not (isinstance(row[2], int) and row[2] < 500)]
    late = [row for row in failed if not in_window(row[0])]
    statuses = {int(k): v for k, v in wrk.get("statuses", {}).items()}
    wrk_errors = sum(v for k, v in statuses.items() if k >= 500) + sum(
        wrk.get(k, 0) for k in ("errors_connect", "errors_read", "errors_write", "errors_timeout")
    )
    node_a = f"{HOST}:{PORTS['node-a']}"
    a_back = [
        row
        for row in timeline.rows
        if row[1] == "read" and row[0] > faults["node_a_listening"] and row[3].endswith(node_a)
    ]
    a_gone = [
        row
        for row in timeline.rows
        if row[1] == "read"
        and faults["node_a_killed"] + 1 < row[0] < faults["node_a_restarted"]
        and row[3].endswith(node_a)
    ]
    checks["node_lost_under_load"] = {
        "ok": not late and wrk_errors <= 2 * WRK_CONNECTIONS and bool(a_back) and not a_gone,
        "failures_in_fault_windows": len(failed) - len(late),
        "failures_outside": late[:20],
        "wrk_errors": wrk_errors,
        "node_a_rejoined": bool(a_back),
        "served_by_dead_node": len(a_gone),
    }
    before, mid, restarted, after = reads
    used_before = before is not None and mid is not None and mid > before
    used_after = restarted is not None and after is not None and after > restarted
    checks["replica_stopped_under_load"] = {
        "ok": not late and used_before and used_after,
        "replica_rows_read_before_stop": None if None in (before, mid) else mid - before,
        "replica_read_again_after_restart": used_after,
    }
    # Every acknowledged write is on the primary.
    titles = {
        r[0]
        for r in query(
            cluster,
            "SELECT title FROM practices_practiceproposal WHERE title LIKE 'clustertest load %%'",
        )
    }
    lost = [t for t in acked if t not in titles]
    history = {
        r[0]
        for r in query(
            cluster,
            "SELECT title FROM practices_historicalgoodpractice WHERE title LIKE 'Staff edit %%'",
        )
    }
    lost_edits = [t for t in edits["acked"] if t not in history]
    checks["no_write_lost"] = {
        "ok": bool(acked) and bool(edits["acked"]) and not lost and not lost_edits,
        "uploads_acknowledged": len(acked),
        "uploads_written": len(titles),
        "uploads_lost": lost,
        "edits_acknowledged": len(edits["acked"]),
        "edits_lost": lost_edits,
    }
    checks["edits_read_back_at_once"] = {
        "ok": not edits["stale"] and edits["read_on_other_node"] > 0,
        "reads": edits["read_back"],
        "reads_on_the_other_node": edits["read_on_other_node"],
        "other_node_down": edits["node_down"],
        "stale": edits["stale"][:10],
    }
    # Errors django-redis answered as a miss (a Redis call that timed out).
    report["redis_errors_ignored"] = {
        node: (cluster.work / f"{node}.log").read_text(errors="replace").count("Exception ignored")
        for node in ("node-a", "node-b")
        if (cluster.work / f"{node}.log").exists()
    }
    report["load"] = {
        "seconds": wrk.get("duration_us", 0) / 1e6,
        "wrk": wrk,
        "python_requests": len(timeline.rows),
        "faults_at_seconds": faults,
    }


# Restore drill ---------------------------------------------------------------------------


def restore_drill(cluster, report):
    """Back up the primary (pg_dump) and the object store, restore both elsewhere, compare."""
    started = time.monotonic()
    dump = cluster.work / "exchange.dump"
    port = str(PORTS["primary"])
    pg = cluster.pg.parent / "bin"
    subprocess.run(
        [
            str(pg / "pg_dump"),
            "-h",
            HOST,
            "-p",
            port,
            "-U",
            "postgres",
            "-Fc",
            "-f",
            str(dump),
            "exchange",
        ],
        check=True,
    )
    subprocess.run(
        [str(pg / "createdb"), "-h", HOST, "-p", port, "-U", "postgres", "exchange_restored"],
        check=True,
    )
    subprocess.run(
        [
            str(pg / "pg_restore"),
            "-h",
            HOST,
            "-p",
            port,
            "-U",
            "postgres",
            "-d",
            "exchange_restored",
            "--no-owner",
            str(dump),
        ],
        check=True,
    )
    tables = [
        "practices_goodpractice",
        "practices_practiceproposal",
        "practices_proposalattachment",
        "events_event",
        "auth_user",
    ]
    counts = {}
    for table in tables:
        live = query(cluster, f"SELECT count(*) FROM {table}")[0][0]
        with psycopg.connect(
            f"postgres://postgres@{HOST}:{port}/exchange_restored", autocommit=True
        ) as conn:
            restored = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        counts[table] = [live, restored]
    # The object store: every object copied out to a folder, then into a new bucket.
    s3 = cluster.s3()
    backup = cluster.work / "s3-backup"
    objects = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            target = backup / item["Key"]
            target.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(BUCKET, item["Key"], str(target))
            objects[item["Key"]] = item["Size"]
    s3.create_bucket(Bucket="exchange-media-restored")
    for path in backup.rglob("*"):
        if path.is_file():
            s3.upload_file(str(path), "exchange-media-restored", str(path.relative_to(backup)))
    restored = {
        item["Key"]: item["Size"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket="exchange-media-restored")
        for item in page.get("Contents", [])
    }
    attachments = {r[0] for r in query(cluster, "SELECT file FROM practices_proposalattachment")}
    ok = (
        all(a == b for a, b in counts.values())
        and restored == objects
        and attachments <= set(restored)
    )
    report["checks"]["restore_drill"] = {
        "ok": ok,
        "row_counts_live_restored": counts,
        "objects": len(objects),
        "objects_restored": len(restored),
        "attachments_with_object": len(attachments & set(restored)),
        "attachments": len(attachments),
        "seconds": round(time.monotonic() - started, 1),
    }


PITR_TABLES = (
    "practices_goodpractice",
    "practices_historicalgoodpractice",
    "practices_practiceproposal",
    "practices_proposalattachment",
)


def pitr_drill(cluster, report, base):
    """Bring a copy of the database back to a named moment: base backup + archived WAL.

    ``base`` was taken before the load; the load's writes are only in the
    WAL archived since. The drill names a restore point, then writes after
    it (a table), restores the base backup on a port of its own with
    ``recovery_target_name``, and compares: the rows of the load are there,
    the table written after the point is not.
    """
    started = time.monotonic()
    counts = {t: query(cluster, f"SELECT count(*) FROM {t}")[0][0] for t in PITR_TABLES}
    query(cluster, "SELECT pg_create_restore_point('clustertest')")
    query(cluster, "CREATE TABLE clustertest_after_the_point (id int)")
    ((segment,),) = query(cluster, "SELECT pg_walfile_name(pg_switch_wal())")
    archive = cluster.work / "wal-archive"
    deadline = time.monotonic() + 60
    while not (archive / segment).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    restored = cluster.work / "restored"
    shutil.copytree(base, restored, symlinks=True)
    settings = [
        f"port = {PORTS['restored']}",
        "archive_mode = off",
        f"restore_command = 'cp {archive}/%f %p'",
        "recovery_target_name = 'clustertest'",
        "recovery_target_action = 'promote'",
    ]
    with open(restored / "postgresql.conf", "a") as conf:
        conf.write("\n".join(settings) + "\n")
    (restored / "recovery.signal").touch()
    for path in [restored, *restored.rglob("*")]:
        shutil.chown(path, *cluster.postgres_owner())
    result = cluster.pg_ctl("restored", "-l", str(restored / "server.log"), "-w", "start")
    detail = {"segment_archived": (archive / segment).exists()}
    ok = result.returncode == 0
    try:
        if ok:
            ok = compare_restored(counts, detail)
        else:
            detail["pg_ctl"] = result.stderr[-500:]
    except psycopg.Error as error:
        ok, detail["error"] = False, str(error)[-500:]
    cluster.pg_ctl("restored", "-m", "immediate", "stop")
    query(cluster, "DROP TABLE clustertest_after_the_point")
    report["checks"]["point_in_time_restore_drill"] = {
        "ok": ok,
        **detail,
        "seconds": round(time.monotonic() - started, 1),
    }


def compare_restored(counts, detail):
    """Wait for the restored copy's promotion; compare it with the primary at the point."""
    url = f"postgres://postgres@{HOST}:{PORTS['restored']}/{DB_NAME}"
    deadline = time.monotonic() + 60
    in_recovery = True
    while in_recovery and time.monotonic() < deadline:
        with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
            in_recovery = conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
        time.sleep(0.2)
    with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
        restored_counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in PITR_TABLES
        }
        after = conn.execute(
            "SELECT to_regclass('clustertest_after_the_point') IS NOT NULL"
        ).fetchone()[0]
    detail.update(
        row_counts_at_point_restored={t: [counts[t], restored_counts[t]] for t in PITR_TABLES},
        promoted=not in_recovery,
        write_after_the_point_restored=after,
    )
    return not in_recovery and restored_counts == counts and not after


def run(cluster, seconds=60):
    started = time.monotonic()
    report = {"checks": {}, "ports": PORTS}
    practice = check_edit_across_nodes(cluster, report)
    check_upload_across_nodes(cluster, report)
    check_shared_rate_limit(cluster, report)
    # The base backup of the point-in-time drill: the load comes after it.
    base = cluster.work / "pitr-base"
    base.mkdir(mode=0o700)
    shutil.chown(base, *cluster.postgres_owner())
    cluster.base_backup(base)
    log(f"load for {seconds} s with faults")
    results = load_with_faults(cluster, seconds, practice, report)
    judge(cluster, report, *results)
    restore_drill(cluster, report)
    pitr_drill(cluster, report, base)
    report["ok"] = all(check["ok"] for check in report["checks"].values())
    report["seconds"] = round(time.monotonic() - started, 1)
    text = json.dumps(report, indent=2, default=str)
    print(text)
    out = ROOT / "test-artifacts" / "clustertest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    passed = sum(check["ok"] for check in report["checks"].values())
    # The plain closing line CI reads.
    print(f"clustertest: {passed} passed, {len(report['checks']) - passed} failed")
    return report["ok"]
