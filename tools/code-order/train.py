#!/usr/bin/env python3
"""Writes tools/code-order/feedd.order.gz: the functions a release `feedd` runs in
a daemon's life, for the linker to lay out together (`--symbol-ordering-file`).

The kernel maps code 64 KiB at a time around each page executed, so a daemon
whose few thousand hot functions are spread over 31 MB of code keeps half of
it resident. Laid out together, they fill a few MB.

The workload, each part under pagetrace.so (see pagetrace.c):
  1. `feedd run` on an empty store: 200 JSON-list sources on the benchmark's
     loopback fixture (bench/scale_fixture.py), a 10 s interval: the first round
     fetches, normalizes, stores and renders everything, the next ones are
     304s; meanwhile the pages and feeds are requested from its server; SIGTERM;
  2. `feedd refresh` of the same sources into a new store;
  3. `feedd check` and `feedd refresh` of demo/config.yaml (RSS, Atom, RDF,
     JSON Feed and HTML-list sources from files).
Pages executed in any part → the code sections of the link map overlapping
them, in the order first executed, each named by its first symbol (the linker
orders sections; any symbol in one moves all of it). Sections not listed are
placed after, as before; names a later build no longer has are ignored.

Usage: python3 tools/code-order/train.py FEEDD LINK-MAP OUT.gz  (`make code-order`)
"""
import bisect, gzip, os, re, shutil, signal, subprocess, sys, tempfile, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from scale_fixture import Fixture  # noqa: E402
from scale import write_config  # noqa: E402

PAGE = 4096


def build_shim(folder):
    shim = os.path.join(folder, "pagetrace.so")
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", shim, os.path.join(HERE, "pagetrace.c")], check=True)
    return shim


def traced(shim, folder, name):
    env = dict(os.environ, LD_PRELOAD=shim, SWIFT_BACKTRACE="enable=no",
               PAGETRACE_OUT=os.path.join(folder, name + ".pages"),
               PAGETRACE_OFFSET_OUT=os.path.join(folder, name + ".offset"))
    return env


def read_trace(folder, name):
    with open(os.path.join(folder, name + ".offset")) as f:
        offset = int(f.read())
    with open(os.path.join(folder, name + ".pages")) as f:
        pages = [int(line) for line in f if not line.startswith("#")]
    return offset, pages


def daemon_part(feedd, shim, folder):
    fixture = Fixture(200, 5000)
    work = os.path.join(folder, "run")
    os.makedirs(work)
    config = write_config(work, fixture.port, 200, 10)
    with open(config, "a") as f:
        f.write("server: {listen: 127.0.0.1:18931}\n")
    daemon = subprocess.Popen([feedd, "run", "--config", config, "--log-level", "warning"], cwd=work,
                              env=traced(shim, folder, "run"), stdout=subprocess.DEVNULL)
    paths = ["/", "/index.html", "/opml.xml", "/style.css", "/all/feed.xml", "/all/atom.xml", "/all/feed.json"]
    served, deadline = 0, time.time() + 45
    while time.time() < deadline:
        time.sleep(1)
        for path in paths:
            try:
                request = urllib.request.Request("http://127.0.0.1:18931" + path, headers={"Accept-Encoding": "gzip"})
                urllib.request.urlopen(request, timeout=5).read()
                served += 1
            except OSError:
                pass  # not rendered yet, or the server not listening yet
    daemon.send_signal(signal.SIGTERM)
    daemon.wait(timeout=60)
    if served == 0:
        raise SystemExit("the traced daemon served nothing on 127.0.0.1:18931: its trace would miss the server")
    print("traced daemon: %d responses served" % served)
    return ["run"]


def refresh_part(feedd, shim, folder):
    fixture = Fixture(200, 5000)
    work = os.path.join(folder, "refresh")
    os.makedirs(work)
    config = write_config(work, fixture.port, 200, 10)
    subprocess.run([feedd, "refresh", "--config", config, "--log-level", "error"], cwd=work,
                   env=traced(shim, folder, "refresh"), stdout=subprocess.DEVNULL)
    return ["refresh"]


def demo_part(feedd, shim, folder):
    work = os.path.join(folder, "demo")
    shutil.copytree(os.path.join(ROOT, "demo"), work)
    for name, argv in [("demo-check", ["check"]), ("demo-refresh", ["refresh", "--log-level", "error"])]:
        subprocess.run([feedd] + argv + ["--config", "config.yaml"], cwd=work,
                       env=traced(shim, folder, name), stdout=subprocess.DEVNULL)
    return ["demo-check", "demo-refresh"]


def text_segment(feedd):
    """(file offset, virtual address) of the executable's code segment."""
    out = subprocess.run(["readelf", "-lW", feedd], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if fields[:1] == ["LOAD"] and "E" in fields[6:-1]:
            return int(fields[1], 16), int(fields[2], 16)
    raise SystemExit("no executable LOAD segment in " + feedd)


MAP_LINE = re.compile(r"^\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+ (\s*)(.*)$")


def code_sections(map_path):
    """[(address, size, first symbol)] of the input sections in the link map's .text that
    have a symbol, by address: the linker orders sections, a symbol names its section."""
    sections, in_text, current = [], False, None
    with open(map_path) as f:
        for line in f:
            match = MAP_LINE.match(line)
            if match is None:
                continue
            address, size, indent, name = int(match[1], 16), int(match[2], 16), len(match[3]), match[4]
            if indent == 0:
                in_text, current = name == ".text", None
            elif in_text and indent == 8:
                current = [address, size, None]
                sections.append(current)
            elif in_text and indent == 16 and current is not None and current[2] is None:
                current[2] = name
    return [tuple(s) for s in sections if s[2] is not None and s[1] > 0]


def main():
    feedd, map_path, out = (os.path.abspath(a) for a in sys.argv[1:4])
    folder = tempfile.mkdtemp(prefix="feedd-code-order-")
    shim = build_shim(folder)
    names = daemon_part(feedd, shim, folder) + refresh_part(feedd, shim, folder) + demo_part(feedd, shim, folder)
    segment_offset, segment_address = text_segment(feedd)
    pages, seen = [], set()
    for name in names:
        mapping_offset, trace = read_trace(folder, name)
        base = segment_address - (segment_offset - mapping_offset)  # address of the mapping's first byte
        for page in trace:
            if page not in seen:
                seen.add(page)
                pages.append(base + page * PAGE)
    table = code_sections(map_path)
    starts = [address for address, _, _ in table]
    ordered, listed, hot = [], set(), 0
    for page in pages:
        i = max(0, bisect.bisect_right(starts, page) - 1)
        while i < len(table) and table[i][0] < page + PAGE:
            address, size, symbol = table[i]
            if address + size > page and symbol not in listed:
                listed.add(symbol)
                ordered.append(symbol)
                hot += size
            i += 1
    with gzip.GzipFile(out, "wb", mtime=0) as f:
        f.write(("\n".join(ordered) + "\n").encode())
    print("%d pages executed (%.1f MB); %d sections on them (%.1f MB) → %s"
          % (len(pages), len(pages) * PAGE / 1e6, len(ordered), hot / 1e6, out))
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
