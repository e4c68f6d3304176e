import FeedTestSupport
import Foundation
import Testing

/// The per-source request keys and `images:` as a user meets them: `feedd
/// check` names each mistake with file, line and key; a cookie is never printed.
@Suite("feedd: headers, proxy, user_agent and images from config.yaml")
struct RequestCLITests {
    static let cookie = "sessionid=T0pS3cretCookie"

    static func source(base: String, name: String, list: String, body: String) -> String {
        """
          - name: \(name)
            type: json
            url: \(base)\(list)
            list: record
            fields: {id: infoCode, title: title, date: datetime, category: medianame}
            body: {url: "\(base)\(body)?id={id}", field: text}
            headers: {Referer: "https://finance.eastmoney.com/", Cookie: "\(cookie)"}
            proxy: http://user:Pr0xyPassw0rd@127.0.0.1:9
            user_agent: "Mozilla/5.0 (feedd)"

        """
    }

    @Test("check: a CR/LF in a header, a bad proxy or a bad image setting exit 2 with file, line and key")
    func checkMistakes() async throws {
        let folder = TempFolder()
        defer { folder.remove() }
        let valid = "sources:\n" + Self.source(base: "http://127.0.0.1:9", name: "em", list: "/list", body: "/body")
            + "images: {referrer_policy: no-referrer, proxy: \"https://img.example/?url={url}\"}\n"
        let ok = try await CLITests.feedd(["check", "--config", folder.write("ok.yaml", valid)])
        #expect(ok.status == 0, "\(ok.err)")
        // Every kind of mistake is pinned by RequestAndImageConfigTests; here one of each section, through the binary.
        let mistakes: [(String, String, String)] = [
            ("Cookie: \"\(Self.cookie)\"", "Cookie: \"\(Self.cookie)\\r\\nX-Evil: 1\"",
             "bad.yaml:8: sources[0].headers.Cookie: a header value must be one line: this one holds a carriage return (CR)"),
            ("proxy: http://", "proxy: gopher://", "bad.yaml:9: sources[0].proxy: 'gopher://user:<hidden>@127.0.0.1:9' is not a proxy URL"),
            ("referrer_policy: no-referrer", "referrer_policy: unsafe-url", "bad.yaml:11: images.referrer_policy: 'unsafe-url' is not a referrer policy"),
        ]
        for (replace, with, message) in mistakes {
            #expect(valid.contains(replace))
            let bad = folder.write("bad.yaml", valid.replacingOccurrences(of: replace, with: with))
            let run = try await CLITests.feedd(["check", "--config", bad])
            #expect(run.status == 2)
            #expect(run.err.contains(message), "\(run.err)")
            #expect(!(run.out + run.err).contains("T0pS3cret") && !(run.out + run.err).contains("Pr0xyPassw0rd"))
        }
    }

    @Test("refresh: failures through the configured proxy and of bodies are reported; no cookie or proxy password in any line")
    func cookieNeverLogged() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        // A proxy that does not listen (port 9): every request of the source fails and is logged.
        let viaDeadProxy = Self.source(base: api.base, name: "em", list: "/webapi/market", body: "/NewsData/GetNewsText.do")
        // Direct, with a cookie: the list works, every body is a 404.
        let direct = Self.source(base: api.base, name: "em-direct", list: "/webapi/market", body: "/missing")
            .replacingOccurrences(of: "    proxy: http://user:Pr0xyPassw0rd@127.0.0.1:9\n", with: "")
        let yaml = "storage: ./d.sqlite\noutput: ./public\nsources:\n" + viaDeadProxy + direct
        let run = try await CLITests.feedd(["refresh", "--config", folder.write("config.yaml", yaml)])
        #expect(run.status == 1, "\(run.out)\(run.err)")
        #expect(run.out.contains("em: FAILED"), "\(run.out)")
        #expect(run.err.contains("/missing?id="), "\(run.err)") // the body failures were logged, with their URLs
        #expect(api.server.requests.contains { $0.headers["cookie"] == Self.cookie }) // the cookie was sent…
        for text in [run.out, run.err] {                                               // …and never printed
            #expect(!text.contains("T0pS3cret") && !text.contains("Pr0xyPassw0rd"), "\(text)")
        }
    }
}
