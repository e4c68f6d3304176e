#!/usr/bin/env python3
"""Issue 11's cost-growth benchmark (not a test): `feedd run` in steady state
at several numbers of sources, each a JSON list of 20 records on a loopback
fixture server (strong ETags, 304s), after a warm-up `feedd refresh`.

Per size it prints: polls per source per interval, body requests, CPU ms per
poll, the daemon's peak RSS, the warm-up refresh's peak RSS; then the growth
of CPU per poll from the smallest size to the largest, and (with
--slow-interval) the CPU share of the largest size at a 60 s interval.

"Polls per source per interval" is interval / (mean time between two polls
of the same source, measured by the fixture server): it does not depend on
where the measured window cuts the schedule. Each source is polled every
interval give or take a jitter of up to a tenth of it (at most 5 s), spread
evenly on both sides, so a schedule that keeps up reads 1.00.

With --warmup-only it runs only the warm-up refreshes (and a `feedd check`
of each config first): their peak RSS and seconds, no steady state.

Usage: python3 bench/scale.py FEEDD [--sizes 200,1000,5000,10000] [--interval 30]
       [--window 60] [--slow-interval 60] [--warmup-only]
"""
import argparse, json, os, signal, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scale_fixture import Fixture  # noqa: E402

POOL = 5000  # distinct info codes; lists overlap as the real ones do


def write_config(folder, port, n, interval):
    lines = ["site: {title: bench, url: 'http://localhost:8080/', timezone: Asia/Shanghai}",
             "storage: ./data/feedd.sqlite", "output: ./public", "feeds: {items: 100}",
             "poll: {interval: %ds, concurrency: 8, per_host: 8, timeout: 20s, max_body: 15MB}" % interval,
             "sources:"]
    for s in range(n):
        lines += ["  - name: s%d" % s, "    type: json", "    url: http://127.0.0.1:%d/list/%d" % (port, s),
                  "    list: record", "    fields: {id: infoCode, title: title, date: datetime, category: medianame}",
                  '    body: {url: "http://127.0.0.1:%d/NewsData/GetNewsText.do?id={id}", field: text}' % port]
    path = os.path.join(folder, "config.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def cpu_seconds(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def peak_rss(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def run_peak(argv):
    """Runs argv; returns (exit status, seconds, peak RSS in bytes, stderr). The peak is the
    child's VmHWM, read every 10 ms while it runs (growth in its last 10 ms can be missed):
    `wait4`'s ru_maxrss is no use here, since Linux carries the forking process's high-water
    mark into the child across exec, and this process holds the fixture's lists (≈90 MB at
    10,000 sources), so ru_maxrss read that instead of feedd's own peak."""
    t0 = time.time()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        peak = 0
        while child.poll() is None:
            try:
                peak = max(peak, peak_rss(child.pid))
            except OSError:
                pass  # exited between poll and read
            time.sleep(0.01)
        err.seek(0)
        return child.returncode, time.time() - t0, peak, err.read().decode(errors="replace")


def refresh(feedd, config):
    """Runs `feedd refresh`; returns (exit status, seconds, peak RSS in bytes) of that child alone."""
    status, seconds, peak, err = run_peak([feedd, "refresh", "--config", config, "--log-level", "error"])
    if status not in (0, 1):
        print(err[-2000:], file=sys.stderr)
    return status, seconds, peak


def check(feedd, config):
    """Runs `feedd check`; returns (exit status, seconds, peak RSS in bytes): the config read alone."""
    status, seconds, peak, err = run_peak([feedd, "check", "--config", config])
    if status != 0:
        print(err[-2000:], file=sys.stderr)
    return status, seconds, peak


def warmup_only(feedd, n, interval):
    fixture = Fixture(n, POOL)
    folder = tempfile.mkdtemp(prefix="feedd-scale-%d-" % n)
    config = write_config(folder, fixture.port, n, interval)
    check_status, check_s, check_rss = check(feedd, config)
    status, seconds, rss = refresh(feedd, config)
    return dict(sources=n, check_exit=check_status, check_seconds=check_s, check_peak_rss_MB=check_rss / 1e6,
                refresh_exit=status, refresh_seconds=seconds, lists=fixture.list_requests,
                bodies=fixture.body_requests, refresh_peak_rss_MB=rss / 1e6)


def steady(feedd, config, fixture, settle, window):
    """Starts `feedd run`, lets its first round pass, then measures `window` seconds."""
    daemon = subprocess.Popen([feedd, "run", "--config", config, "--log-level", "warning"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(settle)
    fixture.reset()
    cpu0 = cpu_seconds(daemon.pid)
    time.sleep(window)
    cpu = cpu_seconds(daemon.pid) - cpu0
    polls, not_modified, bodies = fixture.list_requests, fixture.not_modified, fixture.body_requests
    gap = fixture.mean_gap()
    rss = peak_rss(daemon.pid)
    t0 = time.time()
    daemon.send_signal(signal.SIGTERM)
    _, err = daemon.communicate(timeout=60)
    return dict(cpu=cpu, polls=polls, not_modified=not_modified, bodies=bodies, rss=rss, gap=gap,
                exit=daemon.returncode, stop_s=time.time() - t0, stderr=err.decode(errors="replace"))


def measure(feedd, n, interval, window, settle, also_interval=None):
    fixture = Fixture(n, POOL)
    folder = tempfile.mkdtemp(prefix="feedd-scale-%d-" % n)
    config = write_config(folder, fixture.port, n, interval)
    status, seconds, refresh_rss = refresh(feedd, config)
    warm = dict(exit=status, seconds=seconds, lists=fixture.list_requests, bodies=fixture.body_requests, rss=refresh_rss)
    fixture.reset()
    run = steady(feedd, config, fixture, settle, window)
    out = dict(sources=n, interval_s=interval, window_s=window, warmup=warm,
               polls=run["polls"], answered_304=run["not_modified"], body_requests=run["bodies"],
               mean_gap_s=run["gap"],
               polls_per_source_per_interval=interval / run["gap"],
               cpu_ms_per_poll=1000 * run["cpu"] / max(1, run["polls"]),
               cpu_percent_of_one_core=100 * run["cpu"] / window,
               daemon_peak_rss_MB=run["rss"] / 1e6, refresh_peak_rss_MB=refresh_rss / 1e6,
               daemon_exit=run["exit"], stop_seconds=run["stop_s"])
    if run["stderr"].strip():
        out["daemon_stderr_tail"] = run["stderr"].strip().splitlines()[-3:]
    if also_interval:
        write_config(folder, fixture.port, n, also_interval)
        fixture.reset()
        slow = steady(feedd, config, fixture, settle, also_interval)
        out["slow"] = dict(interval_s=also_interval, polls=slow["polls"], cpu_s=slow["cpu"], mean_gap_s=slow["gap"],
                           cpu_percent_of_one_core=100 * slow["cpu"] / also_interval,
                           cpu_ms_per_poll=1000 * slow["cpu"] / max(1, slow["polls"]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("feedd")
    ap.add_argument("--sizes", default="200,1000,5000,10000")
    ap.add_argument("--interval", type=int, default=30)
    ap.add_argument("--window", type=int, default=60, help="seconds measured per size, after the first round")
    ap.add_argument("--settle", type=int, default=10, help="seconds after start before measuring")
    ap.add_argument("--slow-interval", type=int, default=60, help="also measure the largest size at this interval (0: skip)")
    ap.add_argument("--warmup-only", action="store_true", help="only `feedd check` and the warm-up refresh per size")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    if a.warmup_only:
        rows = [warmup_only(a.feedd, n, a.interval) for n in sizes]
        for r in rows:
            print(json.dumps(r), flush=True)
        print()
        print("| sources | `feedd check` peak RSS | check seconds | warm-up `feedd refresh` peak RSS | refresh seconds |")
        print("|---|---|---|---|---|")
        for r in rows:
            print("| %d | %.1f MB | %.2f s | %.1f MB | %.1f s |" % (r["sources"], r["check_peak_rss_MB"], r["check_seconds"],
                                                            r["refresh_peak_rss_MB"], r["refresh_seconds"]))
        return
    rows = []
    for n in sizes:
        slow = a.slow_interval if (n == sizes[-1] and a.slow_interval) else None
        row = measure(a.feedd, n, a.interval, a.window, a.settle, slow)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print()
    print("| sources | polls per source per interval | body requests | CPU per 304 poll | daemon peak RSS | warm-up refresh peak RSS |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print("| %d | %.2f | %d | %.3f ms | %.1f MB | %.1f MB |" % (
            r["sources"], r["polls_per_source_per_interval"], r["body_requests"],
            r["cpu_ms_per_poll"], r["daemon_peak_rss_MB"], r["refresh_peak_rss_MB"]))
    first, last = rows[0], rows[-1]
    print("CPU per poll grows %.2f× from %d to %d sources (target ≤ 1.5×)"
          % (last["cpu_ms_per_poll"] / first["cpu_ms_per_poll"], first["sources"], last["sources"]))
    if "slow" in last:
        s = last["slow"]
        print("%d sources at a %d s interval: %.1f %% of one core (%.3f ms per poll, %d polls; target < 30 %%)"
              % (last["sources"], s["interval_s"], s["cpu_percent_of_one_core"], s["cpu_ms_per_poll"], s["polls"]))


if __name__ == "__main__":
    main()
