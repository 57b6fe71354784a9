"""A staging copy of the portal on several processes, on 127.0.0.1 only.

    python scripts/cluster.py up     # make cluster: start everything, Ctrl+C stops it
    python scripts/cluster.py test   # make clustertest: start, load, break, check, stop

It runs what docs/deployment.md describes, from the machine's packages:
a PostgreSQL primary and a streaming replica made by pg_basebackup, Redis,
moto's S3 server as the object store, two gunicorn nodes and nginx (TLS,
passive health checks, proxy_next_upstream, body limit) in front. Ports
start at CLUSTER_PORT_BASE (default 47400): primary +0, replica +1, Redis
+2, S3 +3, node A +4, node B +5, nginx (https) +6, the point-in-time
restore of clustertest's drill +7. The primary archives its WAL (for that
drill). Everything lives in one
folder under /tmp, and every process and port it started is stopped and
freed on the way out, failure or not (logs are copied to
test-artifacts/cluster/ first).
"""

import argparse
import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
BASE = int(os.environ.get("CLUSTER_PORT_BASE", "47400"))
PORTS = {
    "primary": BASE,
    "replica": BASE + 1,
    "redis": BASE + 2,
    "s3": BASE + 3,
    "node-a": BASE + 4,
    "node-b": BASE + 5,
    "nginx": BASE + 6,
    # The point-in-time restore of clustertest's drill, started at its end.
    "restored": BASE + 7,
}
HOST = "127.0.0.1"
DB_NAME = "exchange"
BUCKET = "exchange-media"
STAFF_USER = "clusterstaff"
# In the environment, so that clustertest (importing this file again) sees the same one.
STAFF_PASSWORD = os.environ.setdefault("CLUSTER_STAFF_PASSWORD", "cluster-" + uuid.uuid4().hex)
ARTIFACTS = ROOT / "test-artifacts" / "cluster"


def log(message):
    print(f"cluster: {message}", flush=True)


def pg_bin():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        sys.exit("cluster: PostgreSQL's server binaries are missing (apt-get install postgresql)")
    return found[-1].parent


def need(*commands):
    missing = [c for c in commands if shutil.which(c) is None]
    if missing:
        sys.exit(f"cluster: missing {', '.join(missing)} (apt-get install {' '.join(missing)})")


def port_free(port):
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def wait_port(port, seconds=30, name=""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{name or port} did not open port {port} in {seconds} s")


class Cluster:
    def __init__(self):
        self.work = Path(tempfile.mkdtemp(prefix=f"exchange-cluster-{BASE}-"))
        self.processes = {}
        self.pg = pg_bin()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.stopped = False
        os.chmod(self.work, 0o755)

    # Addresses ------------------------------------------------------------------

    def db_url(self, which):
        return f"postgres://postgres@{HOST}:{PORTS[which]}/{DB_NAME}"

    @property
    def base_url(self):
        return f"https://{HOST}:{PORTS['nginx']}"

    def node_url(self, node):
        return f"http://{HOST}:{PORTS[node]}"

    def app_env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))}
        env.update(
            DATABASE_URL=self.db_url("primary"),
            DATABASE_REPLICA_URL=self.db_url("replica"),
            REDIS_URL=f"redis://{HOST}:{PORTS['redis']}/0",
            STORAGE_URL=f"s3://cluster:cluster@{HOST}:{PORTS['s3']}/{BUCKET}?tls=0&region=us-east-1",
            SECRET_KEY="cluster-secret-" + "x" * 40,
            DEBUG="0",
            ALLOWED_HOSTS=f"{HOST},localhost",
            CSRF_TRUSTED_ORIGINS=f"https://{HOST}:{PORTS['nginx']},https://localhost:{PORTS['nginx']}",
            BEHIND_TLS_PROXY="1",
            TRUSTED_PROXY_COUNT="1",
            STATIC_ROOT=str(self.work / "static"),
            LOG_LEVEL="WARNING",
            DIAGNOSTIC_HEADERS="1",
            # All the load comes from one address; the limits under test are
            # the proposal form's and the exports'.
            LISTING_BUILD_RATE="",
            API_ANON_RATE="100000/minute",
            EXPORT_RATE="10/m",
            PROPOSAL_RATE_LIMIT="5/h",
            REPLICA_MAX_LAG_SECONDS="2",
            REPLICA_STICKY_SECONDS="3",
            REPLICA_CHECK_SECONDS="0.5",
            REPLICA_RETRY_SECONDS="2",
            AWS_ACCESS_KEY_ID="cluster",
            AWS_SECRET_ACCESS_KEY="cluster",
        )
        return env

    # Processes --------------------------------------------------------------------

    def spawn(self, name, argv, env=None, cwd=ROOT):
        logfile = open(self.work / f"{name}.log", "ab")
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def kill(self, name, sig=signal.SIGTERM, wait=10):
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def run(self, argv, env=None, **kwargs):
        return subprocess.run(argv, cwd=ROOT, env=env, check=True, **kwargs)

    def manage(self, *args, **kwargs):
        return self.run([PYTHON, "manage.py", *args], env=self.app_env(), **kwargs)

    def pg_ctl(self, which, *args):
        data = self.work / which
        return subprocess.run(
            [*self.as_postgres, str(self.pg / "pg_ctl"), "-D", str(data), *args],
            cwd="/",
            capture_output=True,
            text=True,
        )

    # Start ----------------------------------------------------------------------------

    def start(self):
        need("nginx", "redis-server", "openssl")
        busy = [f"{name} {port}" for name, port in PORTS.items() if not port_free(port)]
        if busy:
            sys.exit(f"cluster: ports in use: {', '.join(busy)} (set CLUSTER_PORT_BASE)")
        log(f"folder {self.work}")
        self.start_primary()
        self.start_redis()
        self.start_s3()
        self.prepare_app()
        self.make_replica()
        self.start_node("node-a")
        self.start_node("node-b")
        self.start_nginx()
        self.wait_ready()

    def start_primary(self):
        primary, replica = self.work / "primary", self.work / "replica"
        sockets, archive = self.work / "sockets", self.work / "wal-archive"
        for folder in (primary, replica, sockets, archive):
            folder.mkdir(mode=0o700)
            if self.as_postgres:
                shutil.chown(folder, "postgres", "postgres")
        self.run(
            [*self.as_postgres, str(self.pg / "initdb"), "-D", str(primary), "-U", "postgres"]
            + ["-A", "trust", "--no-sync"],
            stdout=subprocess.DEVNULL,
        )
        settings = [
            f"port = {PORTS['primary']}",
            f"listen_addresses = '{HOST}'",
            f"unix_socket_directories = '{self.work / 'sockets'}'",
            "wal_level = replica",
            "max_wal_senders = 5",
            "wal_keep_size = '256MB'",
            "hot_standby = on",
            # WAL archiving, as docs/deployment.md asks: the point-in-time
            # restore drill of clustertest replays it onto a base backup.
            "archive_mode = on",
            f"archive_command = 'test ! -f {archive}/%f && cp %p {archive}/%f'",
            "max_connections = 60",
            "shared_buffers = '64MB'",
            # Only while the database is made and migrated (made_durable()).
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
        ]
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write("\n".join(settings) + "\n")
        result = self.pg_ctl("primary", "-l", str(primary / "server.log"), "-w", "start")
        if result.returncode:
            raise RuntimeError(f"primary did not start: {result.stderr}")
        self.run(
            [str(self.pg.parent / "bin" / "createdb"), "-h", HOST, "-p", str(PORTS["primary"])]
            + ["-U", "postgres", DB_NAME]
        )

    def made_durable(self):
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            self.psql(f"ALTER SYSTEM SET {setting} = on")
        self.psql("SELECT pg_reload_conf()")

    def psql(self, sql):
        self.run(
            [str(self.pg / "psql"), "-h", HOST, "-p", str(PORTS["primary"]), "-U", "postgres"]
            + ["-d", DB_NAME, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
            stdout=subprocess.DEVNULL,
        )

    def make_replica(self):
        """A base backup of the primary, streaming from it (-R)."""
        self.made_durable()
        replica = self.work / "replica"
        self.run(
            [*self.as_postgres, str(self.pg / "pg_basebackup"), "-h", HOST]
            + ["-p", str(PORTS["primary"]), "-U", "postgres", "-D", str(replica)]
            + ["-R", "-X", "stream", "-c", "fast", "--no-sync"],
        )
        with open(replica / "postgresql.conf", "a") as conf:
            conf.write(f"port = {PORTS['replica']}\n")
        self.start_replica()

    def start_replica(self):
        replica = self.work / "replica"
        result = self.pg_ctl("replica", "-l", str(replica / "server.log"), "-w", "start")
        if result.returncode:
            raise RuntimeError(f"replica did not start: {result.stderr}")

    def postgres_owner(self):
        """Who owns PostgreSQL's folders: postgres when run as root (runuser), else us."""
        return ("postgres", "postgres") if self.as_postgres else (os.getuid(), os.getgid())

    def base_backup(self, folder):
        """A base backup of the primary, as for a point-in-time restore (plain files)."""
        self.run(
            [*self.as_postgres, str(self.pg / "pg_basebackup"), "-h", HOST]
            + ["-p", str(PORTS["primary"]), "-U", "postgres", "-D", str(folder)]
            + ["-X", "stream", "-c", "fast", "--no-sync"],
        )

    def stop_replica(self):
        self.pg_ctl("replica", "-m", "immediate", "stop")

    def start_redis(self):
        self.spawn(
            "redis",
            ["redis-server", "--port", str(PORTS["redis"]), "--bind", HOST, "--save", ""]
            + ["--appendonly", "no", "--maxmemory-policy", "noeviction"],
        )
        wait_port(PORTS["redis"], name="redis")

    def start_s3(self):
        self.spawn("s3", [str(VENV_BIN / "moto_server"), "-H", HOST, "-p", str(PORTS["s3"])])
        wait_port(PORTS["s3"], name="s3")
        self.s3().create_bucket(Bucket=BUCKET)

    def s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=f"http://{HOST}:{PORTS['s3']}",
            aws_access_key_id="cluster",
            aws_secret_access_key="cluster",
            region_name="us-east-1",
        )

    def prepare_app(self):
        started = time.monotonic()
        quiet = {"stdout": subprocess.DEVNULL}
        # Static files need no database: collected meanwhile.
        static = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.app_env(),
            stdout=subprocess.DEVNULL,
        )
        self.manage("migrate", "--noinput", "-v", "0", **quiet)
        self.manage("load_demo", **quiet)
        if static.wait():
            raise RuntimeError("collectstatic failed")
        log(f"migrated, demo loaded, static collected ({time.monotonic() - started:.0f} s)")
        env = self.app_env() | {"DJANGO_SUPERUSER_PASSWORD": STAFF_PASSWORD}
        self.run(
            [PYTHON, "manage.py", "createsuperuser", "--noinput", "--username", STAFF_USER]
            + ["--email", "staff@cluster.invalid"],
            env=env,
            **quiet,
        )

    def start_node(self, node):
        self.spawn(
            node,
            [str(VENV_BIN / "gunicorn"), "exchange.wsgi", "--bind", f"{HOST}:{PORTS[node]}"]
            # Production's settings: workers, timeouts.
            + ["--config", str(ROOT / "gunicorn.conf.py")]
            # The app is loaded before the port opens: nginx sends nothing
            # to a restarted node still importing Django.
            + ["--preload"]
            # gunicorn's control socket has one path per user by default.
            + ["--no-control-socket"],
            env=self.app_env(),
        )
        wait_port(PORTS[node], seconds=60, name=node)

    def start_nginx(self):
        cert, key = self.work / "tls.crt", self.work / "tls.key"
        self.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
            + ["-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        (self.work / "nginx-tmp").mkdir()
        conf = (ROOT / "scripts" / "cluster-nginx.conf").read_text()
        values = {
            "WORK": self.work,
            "NODE_A": f"{HOST}:{PORTS['node-a']}",
            "NODE_B": f"{HOST}:{PORTS['node-b']}",
            "LISTEN": f"{HOST}:{PORTS['nginx']}",
            "CERT": cert,
            "KEY": key,
            "USER": "root" if os.geteuid() == 0 else os.environ.get("USER", "nobody"),
        }
        for name, value in values.items():
            conf = conf.replace(f"@{name}@", str(value))
        (self.work / "nginx.conf").write_text(conf)
        self.spawn("nginx", ["nginx", "-p", str(self.work), "-c", str(self.work / "nginx.conf")])
        wait_port(PORTS["nginx"], name="nginx")

    def wait_ready(self, seconds=60):
        import requests

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                states = [
                    requests.get(
                        f"{self.node_url(n)}/readyz",
                        headers={"X-Forwarded-Proto": "https"},
                        allow_redirects=False,
                        timeout=2,
                    ).status_code
                    for n in ("node-a", "node-b")
                ]
                if states == [200, 200]:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError("the nodes did not become ready")

    # Stop ------------------------------------------------------------------------------

    def stop(self, keep_logs=False):
        if self.stopped:
            return
        self.stopped = True
        for name in list(self.processes):
            self.kill(name)
        for which in ("restored", "replica", "primary"):
            if (self.work / which / "postmaster.pid").exists():
                self.pg_ctl(which, "-m", "immediate", "stop")
        if keep_logs:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for path in self.work.glob("*.log"):
                shutil.copy(path, ARTIFACTS / path.name)
            for which in ("primary", "replica", "restored"):
                server_log = self.work / which / "server.log"
                if server_log.exists():
                    shutil.copy(server_log, ARTIFACTS / f"postgres-{which}.log")
        shutil.rmtree(self.work, ignore_errors=True)
        busy = [f"{name} {port}" for name, port in PORTS.items() if not port_free(port)]
        if busy:
            log(f"ports still in use after stopping: {', '.join(busy)}")


def install_stop(cluster):
    def stop(*_):
        cluster.stop(keep_logs=True)
        sys.exit(130)

    atexit.register(cluster.stop, keep_logs=True)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)


def up():
    cluster = Cluster()
    install_stop(cluster)
    try:
        cluster.start()
    except Exception:
        cluster.stop(keep_logs=True)
        raise
    log(f"ready: {cluster.base_url}/ (self-signed certificate), admin user {STAFF_USER}")
    log(f"staff password for this run: {STAFF_PASSWORD}")
    log(f"nodes {cluster.node_url('node-a')} {cluster.node_url('node-b')}; Ctrl+C stops all")
    while True:
        time.sleep(1)
        for name, process in list(cluster.processes.items()):
            if process.poll() is not None:
                log(f"{name} exited ({process.returncode}); see {cluster.work}/{name}.log")
                cluster.processes.pop(name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["up", "test"])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("CLUSTER_SECONDS", 60)))
    args = parser.parse_args()
    if args.command == "up":
        up()
    else:
        sys.path.insert(0, str(ROOT / "scripts"))
        import clustertest

        cluster = Cluster()
        install_stop(cluster)
        ok = False
        try:
            cluster.start()
            ok = clustertest.run(cluster, seconds=args.seconds)
        finally:
            cluster.stop(keep_logs=not ok)
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
