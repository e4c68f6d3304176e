import Foundation

/// The old system's JSON news APIs, served over loopback from fixtures:
/// `/webapi/market` (market list), `/webapi/media` (media list),
/// `/webapi/rolling` (rolling list), `/NewsData/GetNewsText.do?id=CODE` (bodies).
public final class NewsAPIFixture: Sendable {
    public let server: FixtureServer
    public let bodies: [String: String]

    public init() throws {
        let bodies = try JSONSerialization.jsonObject(with: Data(Fixtures.bytes("bodies.json"))) as! [String: String]
        self.bodies = bodies
        server = try FixtureServer(routes: [
            "/webapi/market": .file(Fixtures.bytes("market-list.json"), contentType: "application/json"),
            "/webapi/media": .file(Fixtures.bytes("media-list.json"), contentType: "application/json"),
            "/webapi/rolling": .file(Fixtures.bytes("rolling-list.json"), contentType: "application/json; charset=utf-8"),
            "/webapi/gbk": .file(Fixtures.bytes("gbk-list.json"), contentType: "application/json; charset=gbk"),
            "/webapi/broken": .file(Array("{\"record\": [ {\"infoCode\": ".utf8), contentType: "application/json"),
        ]) { request in
            guard request.path == "/NewsData/GetNewsText.do",
                  let id = URLComponents(string: request.target)?.queryItems?.first(where: { $0.name == "id" })?.value
            else { return .notFound }
            if id == "NW202112292229990100" {
                return .file(Fixtures.bytes("gbk-body.json"), contentType: "application/json; charset=GBK")
            }
            guard let body = bodies[id] else { return .notFound }
            // The rolling list's endpoint answers {"content": …}, the others {"text": …}: both shapes are served.
            let key = request.headers["x-shape"] == "content" ? "content" : "text"
            let json = try! JSONSerialization.data(withJSONObject: [key: body])
            return .file([UInt8](json), contentType: "application/json")
        }
    }

    public var base: String { server.baseURL }

    /// Body requests received so far.
    public var bodyRequests: [FixtureServer.Request] { server.requests(to: "/NewsData/GetNewsText.do") }

    /// A config.yaml for these sources (plus `extra` YAML appended to the source list).
    public func config(storage: String, output: String, sources: [String] = ["market", "media", "rolling"],
                       extraSources: String = "", concurrency: Int = 4) -> String {
        var yaml = """
        site:
          title: 财经新闻
          url: http://localhost:8080/
          language: zh-CN
          timezone: Asia/Shanghai
        storage: \(storage)
        output: \(output)
        feeds:
          items: 100
        poll:
          interval: 60s
          concurrency: \(concurrency)
          timeout: 5s
          max_body: 1MB
          user_agent: feedd-test/1
        sources:

        """
        let blocks = [
            "market": """
              - name: market
                type: json
                url: \(base)/webapi/market
                list: record
                fields: {id: infoCode, title: title, date: datetime, category: medianame}
                body: {url: "\(base)/NewsData/GetNewsText.do?id={id}", field: text}
                link: "http://finews.zning.xyz/html_News/NewsShare.html?infoCode={id}"

            """,
            "media": """
              - name: media
                type: json
                url: \(base)/webapi/media
                list: nodeList
                fields: {id: infocode, title: title, date: showtime, category: from}
                body: {url: "\(base)/NewsData/GetNewsText.do?id={id}", field: text}

            """,
            "rolling": """
              - name: rolling
                type: json
                url: \(base)/webapi/rolling
                list: records
                fields: {id: infoCode, title: title, date: showtime, summary: digest, link: url_w}
                category: 东财滚动新闻
                body: {url: "\(base)/NewsData/GetNewsText.do?id={id}", field: text}

            """,
            "gbk": """
              - name: gbk
                type: json
                url: \(base)/webapi/gbk
                list: record
                fields: {id: infoCode, title: title, date: datetime, category: medianame}
                body: {url: "\(base)/NewsData/GetNewsText.do?id={id}", field: text}

            """,
            "broken": """
              - name: broken
                type: json
                url: \(base)/webapi/broken
                list: record
                fields: {id: infoCode, title: title, date: datetime, category: medianame}

            """,
        ]
        for name in sources { yaml += blocks[name]! }
        yaml += extraSources
        yaml += """
        categories:
          东财滚动新闻: {slug: emnews}

        """
        return yaml
    }
}
