import FeedConfig
import FeedModel
import FeedRender
import FeedSources
import Foundation

/// A post of the old Jekyll site, read back: what `JekyllPost` writes, and
/// what the old system's script wrote.
public struct JekyllPostFile: Sendable, Equatable {
    public var path: String
    public var infoCode: InfoCode
    public var title: String
    public var date: Date
    /// The first of `categories:`, as written: the old site's category slug.
    public var categorySlug: String?
    /// The first of `tags:`: the outlet name and 新闻.
    public var tag: String?
    /// The article's HTML, without the share link and the back links under it.
    public var body: String
    /// The share link under the article, when there is one.
    public var shareLink: String?
}

/// Why a post was not imported: the file, the line when one line is to blame, and what is wrong.
public struct JekyllImportProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// Reads post files: front matter (YAML, with the line of any mistake), the
/// body, and the info code from the share link or else the file name.
public struct JekyllPostReader: Sendable {
    /// The share link template (`…?infoCode={id}`), to take the code out of a link.
    let shareLink: String
    /// Front matter dates without a zone are the site's time.
    let dates: DateParser

    public init(shareLink: String, timezone: TimeZone) {
        self.shareLink = shareLink
        dates = DateParser(zone: timezone)
    }

    /// Reads and parses the file at `path`.
    public func read(path: String) throws(JekyllImportProblem) -> JekyllPostFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JekyllImportProblem(file: path, line: nil, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw JekyllImportProblem(file: path, line: nil, message: "the file is not UTF-8")
        }
        return try parse(text, path: path)
    }

    /// Parses a post's text; `path` names it in problems and gives the file name's code and day.
    public func parse(_ text: String, path: String) throws(JekyllImportProblem) -> JekyllPostFile {
        func problem(_ line: Int?, _ message: String) -> JekyllImportProblem {
            JekyllImportProblem(file: path, line: line, message: message)
        }
        // Split on "\n" bytes: Swift treats "\r\n" as one Character, and a post written on Windows must read the same.
        let lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        func isDelimiter(_ line: String, _ marks: [String]) -> Bool {
            marks.contains(line.trimmingCharacters(in: .whitespaces.union(["\r", "\u{FEFF}"])))
        }
        guard let first = lines.first, isDelimiter(first, ["---"]) else {
            throw problem(1, "no front matter: the first line is not '---'")
        }
        guard let close = lines.indices.dropFirst().first(where: { isDelimiter(lines[$0], ["---", "..."]) }) else {
            throw problem(1, "the front matter opened here is never closed with '---'")
        }
        let front = try frontMatter(lines[1..<close].joined(separator: "\n"), problem: problem)
        var body = Array(lines[(close + 1)...])
        let share = Self.stripLinks(&body)

        guard let titleNode = front["title"] else { throw problem(1, "no title in the front matter") }
        guard let title = titleNode.scalar else { throw problem(line(of: titleNode), "the title is not text") }
        let day = PostDay(fileName: (path as NSString).lastPathComponent)
        let date: Date
        if let node = front["date"] {
            guard let text = node.scalar, let parsed = dates.parse(text) else {
                throw problem(line(of: node), "unreadable date \(Self.text(of: node).map { "'\($0)'" } ?? "")")
            }
            date = parsed
        } else if let day, let parsed = dates.parse(day.description) {
            date = parsed // the old site's file name carries the day; midnight in the site's zone
        } else {
            throw problem(1, "no date in the front matter or the file name")
        }
        guard let code = share.flatMap(code(inShareLink:)) ?? Self.code(inFileName: path) else {
            throw problem(nil, "no info code: no share link with the code, and the file name is not <YYYY-MM-DD>-<code>.md")
        }
        return JekyllPostFile(path: path, infoCode: code, title: title, date: date,
                              categorySlug: front["categories"].flatMap(Self.firstWord), tag: front["tags"].flatMap(Self.firstWord),
                              body: body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines), shareLink: share)
    }

    /// The front matter's keys, read by FeedConfig's YAML reader (the
    /// config's). It counts lines from the front matter's first line, which
    /// is the file's second.
    private func frontMatter(_ yaml: String, problem: (Int?, String) -> JekyllImportProblem)
        throws(JekyllImportProblem) -> [String: YAMLNode] {
        let document: YAMLDocument?
        do {
            document = try YAMLDocument.parse(yaml)
        } catch {
            throw problem(error.line.map { $0 + 1 }, "unreadable front matter: \(error.message)")
        }
        guard let root = document?.root, root.kind == .mapping else { throw problem(2, "the front matter is not a mapping of keys") }
        var keys: [String: YAMLNode] = [:]
        for (key, value) in root.pairs {
            if let k = key.scalar { keys[k] = value }
        }
        return keys
    }

    private func line(of node: YAMLNode) -> Int? { node.line + 1 }

    private static func text(of node: YAMLNode) -> String? { node.scalar }

    /// Jekyll reads `categories: a b` as two categories and also takes a list; the old posts have one.
    private static func firstWord(_ node: YAMLNode) -> String? {
        switch node.kind {
        case .scalar: return node.scalar?.split(whereSeparator: \.isWhitespace).first.map(String.init)
        case .sequence: return node.items.first.flatMap(firstWord)
        case .mapping: return nil
        }
    }

    /// Removes the share link and back links the old posts end with (and
    /// blank lines around them); returns the share link's URL.
    static func stripLinks(_ lines: inout [String]) -> String? {
        var share: String?
        while let last = lines.last {
            let line = last.trimmingCharacters(in: .whitespaces.union(["\r"]))
            if line.isEmpty || line.hasPrefix("[返回") {
                lines.removeLast()
            } else if share == nil, let url = autolink(line) {
                share = url
                lines.removeLast()
            } else {
                break
            }
        }
        return share
    }

    /// `<http://…>` alone on its line: a Markdown autolink, not an HTML tag.
    private static func autolink(_ line: String) -> String? {
        guard line.hasPrefix("<"), line.hasSuffix(">"), line.count > 2 else { return nil }
        let url = String(line.dropFirst().dropLast())
        guard ["http://", "https://", "//"].contains(where: url.hasPrefix),
              !url.contains(where: { $0 == "<" || $0 == ">" || $0.isWhitespace }) else { return nil }
        return url
    }

    /// The code in a share link: where the template has `{id}`, else its `infoCode` query parameter.
    func code(inShareLink link: String) -> InfoCode? {
        let parts = shareLink.components(separatedBy: "{id}")
        if parts.count == 2, link.hasPrefix(parts[0]), link.hasSuffix(parts[1]),
           link.count > parts[0].count + parts[1].count {
            let code = link.dropFirst(parts[0].count).dropLast(parts[1].count)
            // feedd writes the code percent-encoded into the link (JekyllPost): read it back decoded.
            if !code.contains(where: { $0 == "/" || $0 == "?" || $0 == "&" }) {
                return InfoCode(String(code).removingPercentEncoding ?? String(code))
            }
        }
        let query = URLComponents(string: link)?.queryItems ?? []
        return query.first { $0.name.lowercased() == "infocode" }?.value.flatMap(InfoCode.init)
    }

    /// `2021-12-29-NW202112292229992448.md` → `NW202112292229992448`. Only a
    /// code-like name counts (ASCII letters and digits, at least one digit),
    /// so `2021-12-29-welcome.md` is not taken for an article.
    static func code(inFileName path: String) -> InfoCode? {
        let name = (path as NSString).lastPathComponent
        guard PostDay(fileName: name) != nil else { return nil }
        let stem = (String(name.dropFirst(11)) as NSString).deletingPathExtension
        guard !stem.isEmpty, stem.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              stem.contains(where: \.isNumber) else { return nil }
        return InfoCode(stem)
    }
}
