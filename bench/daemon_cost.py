#!/usr/bin/env python3
"""Cost of `feedd run` in steady state (issue 5's benchmark, not a test).

Starts a loopback fixture server with N sources x 100 items (JSON list shape
`record`, bodies from GetNewsText.do, ETag + 304 like a polite CDN), warms the
store with one `feedd refresh`, then runs `feedd run` for DURATION seconds and
reports: list requests per source per poll cycle, how many were answered 304,
body requests (target 0), the daemon's peak RSS (VmHWM, target < 40 MB) and
the CPU seconds it used.

Usage: python3 bench/daemon_cost.py FEEDD_BINARY [--sources 200] [--duration 60] [--interval 10]
"""
import argparse, hashlib, json, os, signal, subprocess, sys, tempfile, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

ITEMS_PER_SOURCE = 100
POOL = 5000  # distinct info codes; lists overlap as the real ones do


def code(i):
    return "NW2021122922299%05d" % i


def build_lists(n_sources):
    outlets = ["新华财经", "中国证券报", "证券时报", "上海证券报", "第一财经", "经济参考报", "证券日报", "财联社"]
    lists = {}
    for s in range(n_sources):
        records = []
        for k in range(ITEMS_PER_SOURCE):
            i = (s * 37 + k * 11) % POOL
            records.append({"infoCode": code(i), "title": "快讯第%d条：市场动态" % i,
                            "datetime": "2021-12-29 %02d:%02d:00" % (i // 60 % 24, i % 60),
                            "medianame": outlets[i % len(outlets)]})
        body = json.dumps({"record": records}, ensure_ascii=False).encode()
        lists["/list/%d" % s] = (body, '"%s"' % hashlib.sha1(body).hexdigest()[:16])
    return lists


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.lists = 0
            self.not_modified = 0
            self.bodies = 0


def make_handler(lists, counters):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, status, body=b"", headers=()):
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlparse(self.path)
            if url.path in lists:
                body, etag = lists[url.path]
                with counters.lock:
                    counters.lists += 1
                    if self.headers.get("If-None-Match") == etag:
                        counters.not_modified += 1
                        return self.send(304, headers=[("ETag", etag)])
                return self.send(200, body, [("Content-Type", "application/json; charset=utf-8"), ("ETag", etag)])
            if url.path == "/NewsData/GetNewsText.do":
                with counters.lock:
                    counters.bodies += 1
                i = parse_qs(url.query).get("id", [""])[0]
                html = "<p>　　%s 正文。市场人士表示，后市仍需关注政策面变化。</p>\r\n <p>　　第二段。</p>" % i
                return self.send(200, json.dumps({"text": html}, ensure_ascii=False).encode(),
                                 [("Content-Type", "application/json")])
            self.send(404, b"not found")

    return Handler


def write_config(folder, port, n_sources, interval):
    lines = ["site: {title: bench, url: 'http://localhost:8080/', timezone: Asia/Shanghai}",
             "storage: ./data/feedd.sqlite", "output: ./public", "feeds: {items: 100}",
             "poll: {interval: %ds, concurrency: 8, per_host: 8, timeout: 20s, max_body: 15MB}" % interval,
             "sources:"]
    for s in range(n_sources):
        lines += ["  - name: s%d" % s, "    type: json", "    url: http://127.0.0.1:%d/list/%d" % (port, s),
                  "    list: record", "    fields: {id: infoCode, title: title, date: datetime, category: medianame}",
                  '    body: {url: "http://127.0.0.1:%d/NewsData/GetNewsText.do?id={id}", field: text}' % port]
    path = os.path.join(folder, "config.yaml")
    open(path, "w").write("\n".join(lines) + "\n")
    return path


def proc_stats(pid):
    hwm = 0
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) * 1024
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return hwm, cpu


def print_smaps(pid):
    rss, name = {}, ""
    for line in open("/proc/%d/smaps" % pid):
        parts = line.split()
        if "-" in parts[0] and len(parts) >= 5:
            name = parts[5] if len(parts) > 5 else "[anon]"
        elif parts[0] == "Rss:":
            rss[name] = rss.get(name, 0) + int(parts[1])
    for n, kb in sorted(rss.items(), key=lambda x: -x[1])[:12]:
        print("%8.1f MB  %s" % (kb / 1024, n))
    for line in open("/proc/%d/status" % pid):
        if line.startswith(("RssAnon", "RssFile", "VmHWM", "Threads")):
            print(line.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("feedd")
    ap.add_argument("--sources", type=int, default=200)
    ap.add_argument("--duration", type=int, default=60)
    ap.add_argument("--interval", type=int, default=10)
    ap.add_argument("--smaps", action="store_true", help="print the largest resident mappings")
    a = ap.parse_args()

    lists = build_lists(a.sources)
    counters = Counters()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(lists, counters))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    folder = tempfile.mkdtemp(prefix="feedd-cost-")
    config = write_config(folder, server.server_address[1], a.sources, a.interval)

    t0 = time.time()
    warm = subprocess.run([a.feedd, "refresh", "--config", config], capture_output=True, text=True)
    print("warm-up refresh: exit %d, %.1f s, %d list requests, %d body requests"
          % (warm.returncode, time.time() - t0, counters.lists, counters.bodies))
    counters.reset()

    daemon = subprocess.Popen([a.feedd, "run", "--config", config, "--log-level", "warning"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(a.duration)
    hwm, cpu = proc_stats(daemon.pid)
    if a.smaps:
        print_smaps(daemon.pid)
    daemon.send_signal(signal.SIGTERM)
    _, err = daemon.communicate(timeout=60)
    server.shutdown()

    cycles = a.duration / a.interval
    per_source_cycle = counters.lists / a.sources / cycles
    result = {
        "sources": a.sources, "items_per_source": ITEMS_PER_SOURCE, "duration_s": a.duration, "interval_s": a.interval,
        "list_requests": counters.lists, "answered_304": counters.not_modified, "body_requests": counters.bodies,
        "requests_per_source_per_cycle": round(per_source_cycle, 3),
        "peak_rss_MB": round(hwm / 1e6, 1), "cpu_seconds": round(cpu, 2),
        "cpu_percent_of_one_core": round(100 * cpu / a.duration, 2), "exit_status": daemon.returncode,
    }
    print(json.dumps(result, indent=1))
    print("requests per poll cycle: %.2f conditional GETs per source (target 1), %d body requests (target 0); "
          "peak RSS %.1f MB (target < 40); %.2f CPU s in %d s"
          % (per_source_cycle, counters.bodies, hwm / 1e6, cpu, a.duration))
    if err.strip():
        print("daemon stderr (last lines):\n" + "\n".join(err.strip().splitlines()[-5:]))


if __name__ == "__main__":
    main()
