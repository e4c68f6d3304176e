"""The benchmark's upstream: N JSON lists (20 records each, strong ETags,
304 to a matching If-None-Match) and one body endpoint, served by a small
asyncio HTTP/1.1 server with keep-alive. It is part of the benchmark: at
10,000 sources and a 30 s interval it answers ~330 requests a second on the
same two cores as feedd, so every answer is prebuilt bytes (no per-request
formatting beyond the status line), cheaper than http.server's handler."""
import asyncio, hashlib, json, threading, time

RECORDS = 20
OUTLETS = ["新华财经", "中国证券报", "证券时报", "上海证券报", "第一财经", "经济参考报", "证券日报", "财联社"]


def code(i):
    return "NW2021122922299%05d" % i


def build_lists(n_sources, pool):
    lists = {}
    for s in range(n_sources):
        records = []
        for k in range(RECORDS):
            i = (s * 7 + k * 13) % pool
            records.append({"infoCode": code(i), "title": "快讯第%d条：市场动态" % i,
                            "datetime": "2021-12-29 %02d:%02d:00" % (i // 60 % 24, i % 60),
                            "medianame": OUTLETS[i % len(OUTLETS)]})
        body = json.dumps({"record": records}, ensure_ascii=False).encode()
        etag = ('"%s"' % hashlib.sha1(body).hexdigest()[:16]).encode()
        full = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nETag: " + etag
                + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        not_modified = b"HTTP/1.1 304 Not Modified\r\nETag: " + etag + b"\r\nContent-Length: 0\r\n\r\n"
        lists[("/list/%d" % s).encode()] = (etag, full, not_modified)
    return lists


def body_response(query):
    i = query.split(b"id=", 1)[-1].decode()
    html = "<p>　　%s 正文。市场人士表示，后市仍需关注政策面变化。</p>\r\n <p>　　第二段。</p>" % i
    body = json.dumps({"text": html}, ensure_ascii=False).encode()
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body


class Fixture:
    """Counts list requests, 304s and body requests (reset between phases)."""

    def __init__(self, n_sources, pool):
        self.lists = build_lists(n_sources, pool)
        self.reset()
        self.port = None
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        ready.wait()

    def reset(self, short_gap_s=None):
        """Starts counting afresh; a gap between two requests of one list under `short_gap_s` counts as short."""
        self.list_requests = self.not_modified = self.body_requests = 0
        self.connections = 0  # TCP connections accepted: far fewer than requests when keep-alive is reused
        self.last_seen = {}  # list path → time of its previous request
        self.counts = {}     # list path → requests
        self.by_peer = {}    # client's port → list requests (which process polled: see cluster_nodes.py)
        self.gap_sum = 0.0   # seconds between consecutive requests of one list, summed
        self.gaps = 0
        self.short_gap_s = short_gap_s
        self.short_gaps = 0
        self.shortest_gap = None

    def mean_gap(self):
        """The mean time between two polls of the same source, in seconds."""
        return self.gap_sum / self.gaps if self.gaps else float("nan")

    def _serve(self, ready):
        loop = asyncio.new_event_loop()
        server = loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0, backlog=512))
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        loop.run_forever()

    async def _client(self, reader, writer):
        self.connections += 1
        peer = (writer.get_extra_info("peername") or ("", 0))[1]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line, _, rest = head.partition(b"\r\n")
                target = line.split(b" ")[1]
                path, _, query = target.partition(b"?")
                entry = self.lists.get(path)
                if entry is not None:
                    self.list_requests += 1
                    now = time.monotonic()
                    previous = self.last_seen.get(path)
                    if previous is not None:
                        gap = now - previous
                        self.gap_sum += gap
                        self.gaps += 1
                        if self.shortest_gap is None or gap < self.shortest_gap:
                            self.shortest_gap = gap
                        if self.short_gap_s is not None and gap < self.short_gap_s:
                            self.short_gaps += 1
                    self.last_seen[path] = now
                    self.counts[path] = self.counts.get(path, 0) + 1
                    self.by_peer[peer] = self.by_peer.get(peer, 0) + 1
                    etag, full, not_modified = entry
                    if b"\r\nif-none-match: " + etag in (b"\r\n" + rest).lower():  # the ETag is lowercase hex
                        self.not_modified += 1
                        writer.write(not_modified)
                    else:
                        writer.write(full)
                elif path == b"/NewsData/GetNewsText.do":
                    self.body_requests += 1
                    writer.write(body_response(query))
                else:
                    writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            writer.close()
