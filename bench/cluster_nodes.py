#!/usr/bin/env python3
"""Issue 12's benchmark with real nodes (not a test): N JSON-list sources
over K `feedd run` processes sharing one throwaway PostgreSQL 15, against the
loopback fixture server of bench/scale_fixture.py (20 records per list,
strong ETags, 304s; it counts every request).

Per size: a fresh database; one node's `feedd refresh` fills it (lists and
bodies); then K nodes run with the same sources (each its own output folder
and port: the config's hash covers the sources only). After `--settle`
seconds (the first round: every source falls due within its first jitter)
`--window` seconds are measured:

- polls per source per interval: the interval over the mean time between two
  polls of one source, as the fixture server saw them (scale.py's measure),
  and the polls counted in the window over sources × window/interval;
- sources polled twice within one interval: two polls of one source closer
  than the shortest gap the poll policy gives (interval − jitter, less 1 s of
  slack for latency); a double poll by two nodes would be ≈0 s apart;
- body requests (target 0: every list answers 304);
- CPU per poll, per node (`/proc/PID/stat` utime+stime delta over the polls
  that node made: the fixture counts requests per client connection, and the
  node's sockets in /proc say whose connection it is) and in total (all nodes over all polls the
  fixture saw), and the PostgreSQL server's CPU per poll (its backends);
- peak RSS per node (`VmHWM`);
- database round trips per poll: the calls `pg_stat_statements` counted in the
  benchmark's database in the window (every statement a client sent and the
  server answered, BEGIN and COMMIT included; postgres-nio sends a statement
  with its parameters in one flight, so a call is one round trip) over the
  polls; beside it the transactions (`pg_stat_database`: xact_commit +
  xact_rollback).

Usage: python3 bench/cluster_nodes.py FEEDD [--sizes 1000,10000] [--nodes 3]
       [--interval 60] [--window 130] [--settle 70]
"""
import argparse, json, os, pwd, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scale_fixture import Fixture  # noqa: E402
from scale import cpu_seconds, peak_rss  # noqa: E402  (one way to read /proc)

PG = "/usr/lib/postgresql/15/bin"
POOL = 5000  # distinct info codes; lists overlap as the real ones do


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throwaway server as the tests start one (Tests/FeedTestSupport/TestPostgres.swift):
    initdb into a temp folder, pg_ctl on a loopback port, fsync off; as the `postgres`
    user when run as root (PostgreSQL refuses root). pg_stat_statements is preloaded."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="feedd-bench-pg-")
        os.chmod(self.folder, 0o755)
        self.port = free_port()
        self.root = os.getuid() == 0
        if self.root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.folder, pw.pw_uid, pw.pw_gid)
        self.data = self.folder + "/data"
        self._run("initdb", "-D", self.data, "-U", "feedd", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C")
        options = ("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200 -c shared_preload_libraries=pg_stat_statements "
                   "-c pg_stat_statements.max=10000" % (self.port, self.folder))
        self._run("pg_ctl", "-D", self.data, "-w", "-t", "60", "-l", self.folder + "/server.log", "-o", options, "start")

    def _run(self, tool, *args):
        command = ([ "/usr/sbin/runuser", "-u", "postgres", "--"] if self.root else []) + [PG + "/" + tool, *args]
        done = subprocess.run(command, cwd=self.folder, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise SystemExit("PostgreSQL %s failed: %s%s" % (tool, done.stdout, done.stderr))

    def psql(self, sql, database="postgres"):
        done = subprocess.run([PG + "/psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                               "-p", str(self.port), "-U", "feedd", "-d", database, "-c", sql],
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise SystemExit("psql %s: %s" % (sql, done.stderr))
        return done.stdout.strip()

    def url(self, database):
        return "postgres://feedd@127.0.0.1:%d/%s?sslmode=disable" % (self.port, database)

    def postmaster_pid(self):
        with open(self.data + "/postmaster.pid") as f:
            return int(f.readline())

    def server_cpu(self):
        """CPU seconds of the postmaster and its backends (the processes alive now)."""
        parent, total = self.postmaster_pid(), 0.0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = open("/proc/%s/stat" % entry).read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(entry) == parent or int(fields[1]) == parent:
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def stop(self):
        self._run("pg_ctl", "-D", self.data, "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def write_config(folder, storage, fixture_port, server_port, n, interval):
    lines = ["site: {title: bench, url: 'http://localhost:8080/', timezone: Asia/Shanghai}",
             "storage: \"%s\"" % storage, "output: ./public", "feeds: {items: 100}",
             "server: {listen: \"127.0.0.1:%d\"}" % server_port,
             "poll: {interval: %ds, concurrency: 8, per_host: 8, timeout: 20s, max_body: 15MB}" % interval,
             "sources:"]
    for s in range(n):
        lines += ["  - name: s%d" % s, "    type: json", "    url: http://127.0.0.1:%d/list/%d" % (fixture_port, s),
                  "    list: record", "    fields: {id: infoCode, title: title, date: datetime, category: medianame}",
                  '    body: {url: "http://127.0.0.1:%d/NewsData/GetNewsText.do?id={id}", field: text}' % fixture_port]
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "config.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def client_ports(pids, server_port):
    """pid → the local ports of its TCP connections to `server_port` (from /proc/net/tcp and its fds), so
    the fixture's per-connection counts say which node polled (not /metrics: 10,000 sources' exposition
    is megabytes, which would raise the peak RSS being measured)."""
    by_inode = {}
    for line in open("/proc/net/tcp").readlines()[1:]:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], fields[9]
        if int(remote.split(":")[1], 16) == server_port:
            by_inode[inode] = int(local.split(":")[1], 16)
    out = {}
    for pid in pids:
        ports = set()
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in by_inode:
                ports.add(by_inode[target[8:-1]])
        out[pid] = ports
    return out


def wait_serving(port, deadline):
    while time.time() < deadline:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=5):
                return True
        except urllib.error.HTTPError:
            return True  # serving (a 503 says degraded: the poll results come later)
        except OSError:
            time.sleep(0.5)
    return False


def statements(pg, database):
    """(calls, transactions) so far in `database`, the benchmark's own statistics queries left out."""
    calls = pg.psql("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                    "WHERE d.datname = '%s' AND s.query NOT ILIKE '%%pg_stat%%'" % database, database)
    xacts = pg.psql("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '%s'" % database, database)
    return int(calls), int(xacts)


def per_statement(pg, database):
    """queryid → (calls, the statement's first words), in `database`."""
    rows = pg.psql("SELECT s.queryid, s.calls, left(regexp_replace(s.query, '\\s+', ' ', 'g'), 60) FROM pg_stat_statements s "
                   "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '%s' AND s.query NOT ILIKE '%%pg_stat%%'"
                   % database, database)
    out = {}
    for line in rows.splitlines():
        queryid, calls, text = line.split("|", 2)
        out[queryid] = (int(calls), text)
    return out


def breakdown(before, after, polls):
    """The statements sent in the window, most first, as calls per poll."""
    rows = [(calls - before.get(q, (0, ""))[0], text) for q, (calls, text) in after.items()]
    return [["%.3f" % (n / max(1, polls)), text] for n, text in sorted(rows, reverse=True) if n > 0][:10]


def measure(feedd, pg, n, nodes, interval, window, settle):
    fixture = Fixture(n, POOL)
    database = "bench%d" % n
    pg.psql("CREATE DATABASE %s TEMPLATE template0" % database)
    pg.psql("CREATE EXTENSION pg_stat_statements", database)
    folder = tempfile.mkdtemp(prefix="feedd-cluster-nodes-%d-" % n)
    ports = [free_port() for _ in range(nodes)]
    configs = [write_config("%s/node%d" % (folder, k), pg.url(database), fixture.port, ports[k], n, interval)
               for k in range(nodes)]
    t0 = time.time()
    refresh = subprocess.run([feedd, "refresh", "--config", configs[0], "--log-level", "error"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=1800)
    warm = dict(exit=refresh.returncode, seconds=round(time.time() - t0, 1), lists=fixture.list_requests,
                bodies=fixture.body_requests)
    if refresh.returncode not in (0, 1):
        print(refresh.stderr.decode(errors="replace")[-2000:], file=sys.stderr)
    fixture.reset()
    logs = [open("%s/node%d/stderr.log" % (folder, k), "wb") for k in range(nodes)]
    procs = [subprocess.Popen([feedd, "run", "--config", configs[k], "--log-level", "warning"],
                              stdout=subprocess.DEVNULL, stderr=logs[k]) for k in range(nodes)]
    try:
        started = time.time()
        for port in ports:
            if not wait_serving(port, started + 120):
                raise SystemExit("a node did not serve within 120 s; logs in %s" % folder)
        time.sleep(max(0, settle - (time.time() - started)))
        jitter = min(interval / 10, 5)
        fixture.reset(short_gap_s=interval - jitter - 1)
        pids = [p.pid for p in procs]
        ports0 = client_ports(pids, fixture.port)
        cpu0 = [cpu_seconds(p.pid) for p in procs]
        server0, (calls0, xacts0), each0 = pg.server_cpu(), statements(pg, database), per_statement(pg, database)
        w0 = time.time()
        time.sleep(window)
        cpu1 = [cpu_seconds(p.pid) for p in procs]
        server1, (calls1, xacts1), each1 = pg.server_cpu(), statements(pg, database), per_statement(pg, database)
        seconds = time.time() - w0
        lists, bodies, gap, polled = fixture.list_requests, fixture.body_requests, fixture.mean_gap(), len(fixture.counts)
        twice, shortest = fixture.short_gaps, fixture.shortest_gap
        ports1 = client_ports(pids, fixture.port)
        by_peer = dict(fixture.by_peer)
        rss = [peak_rss(p.pid) for p in procs]
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in logs:
            log.close()
    node_polls = [sum(by_peer.get(port, 0) for port in ports0[pid] | ports1[pid]) for pid in pids]
    node_cpu = [b - a for a, b in zip(cpu0, cpu1)]
    tail = []
    for k in range(nodes):
        with open("%s/node%d/stderr.log" % (folder, k), errors="replace") as f:
            tail += ["node%d: %s" % (k, line.rstrip()) for line in f.readlines()[-3:]]
    shutil.rmtree(folder, ignore_errors=True)
    out = dict(sources=n, nodes=nodes, interval_s=interval, window_s=round(seconds, 1), warmup=warm,
               polls=lists, answered_304=fixture.not_modified, body_requests=bodies, sources_polled=polled,
               polls_per_source_per_interval_gaps=interval / gap,
               polls_per_source_per_interval_counted=lists / n / (seconds / interval),
               polled_twice_within_an_interval=twice, shortest_gap_s=shortest, mean_gap_s=gap,
               node_polls=node_polls, polls_not_attributed=lists - sum(node_polls), node_cpu_ms_per_poll=[1000 * c / max(1, p) for c, p in zip(node_cpu, node_polls)],
               cpu_ms_per_poll_all_nodes=1000 * sum(node_cpu) / max(1, lists),
               postgres_cpu_ms_per_poll=1000 * (server1 - server0) / max(1, lists),
               node_peak_rss_MB=[r / 1e6 for r in rss],
               db_round_trips_per_poll=(calls1 - calls0) / max(1, lists),
               db_transactions_per_poll=(xacts1 - xacts0) / max(1, lists),
               db_statements_per_poll=breakdown(each0, each1, lists),
               node_exits=[p.returncode for p in procs], load_average=open("/proc/loadavg").read().split()[:3])
    if tail:
        out["node_stderr_tail"] = tail
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("feedd")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--nodes", type=int, default=3)
    ap.add_argument("--interval", type=int, default=60)
    ap.add_argument("--window", type=int, default=130, help="seconds measured per size, after --settle")
    ap.add_argument("--settle", type=int, default=70, help="seconds after the nodes start before measuring")
    a = ap.parse_args()
    pg = Postgres()
    rows = []
    try:
        for n in (int(x) for x in a.sizes.split(",")):
            row = measure(a.feedd, pg, n, a.nodes, a.interval, a.window, a.settle)
            rows.append(row)
            print(json.dumps(row), flush=True)
    finally:
        pg.stop()
    print()
    print("| sources × nodes | polls per source per interval | polled twice in an interval | body requests "
          "| CPU per poll, per node | CPU per poll, all nodes | PostgreSQL CPU per poll | peak RSS per node "
          "| DB round trips per poll |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %d × %d | %.2f (counted %.2f) | %d | %d | %s ms | %.2f ms | %.2f ms | %s MB | %.2f (%.2f transactions) |" % (
            r["sources"], r["nodes"], r["polls_per_source_per_interval_gaps"], r["polls_per_source_per_interval_counted"],
            r["polled_twice_within_an_interval"], r["body_requests"],
            " / ".join("%.2f" % c for c in r["node_cpu_ms_per_poll"]), r["cpu_ms_per_poll_all_nodes"],
            r["postgres_cpu_ms_per_poll"], " / ".join("%.1f" % m for m in r["node_peak_rss_MB"]),
            r["db_round_trips_per_poll"], r["db_transactions_per_poll"]))


if __name__ == "__main__":
    main()
