import FeedChecks
import FeedConfig
@testable import FeedFetch
import FeedModel
@testable import FeedSources
import Foundation
import FuzzDriver

/// The JSON list reader (`type: json`) over arbitrary bytes, through a field
/// mapping: the market list's (`record`, flat fields) or a nested one
/// (`data.list`, dotted fields, inline body), chosen by the input's length,
/// as is the HTTP charset (none, UTF-8, GBK).
///
/// What must hold: the answer is read or refused with an error naming the
/// source; every record is either an item or skipped with a warning (nothing
/// lost: items + skipped = records); every item has a trimmed info code, a
/// non-empty trimmed title and a category; every text field is one XML can carry.
@main enum JSONListFuzzer {
    static let url = "https://api.example.cn/webapi/market"
    static let mappings = [
        (list: "record", yaml: "list: record\n    fields: {id: infoCode, title: title, date: datetime, category: medianame, summary: digest}"),
        (list: "data.list", yaml: "list: data.list\n    fields: {id: art.code, title: art.title, date: art.time, body: art.html, link: art.url}\n    category: 滚动"),
    ]
    static let contentTypes: [String?] = [nil, "application/json; charset=utf-8", "application/json; charset=gbk"]

    static func main() {
        let sources = mappings.map { source($0.yaml) }
        FuzzDriver.main { input in
            let which = input.count % mappings.count
            let response = FetchResponse(url: url, status: 200,
                                         headers: contentTypes[input.count % contentTypes.count].map { ["content-type": $0] } ?? [:],
                                         body: input)
            let context = "mapping \(which), content type: \(response.contentType ?? "none")\ninput: \(String(decoding: input, as: UTF8.self).debugDescription)"
            let reading: ListReading
            do throws(SourceError) {
                reading = try sources[which].readList(response)
            } catch {
                FuzzCheck.expect(error.description.hasPrefix("source 'fuzz': "), "an error not naming its source: \(error)\n\(context)")
                return
            }
            if let text = try? response.text(),
               let root = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
               let records = JSONPath.value(at: mappings[which].list, in: root) as? [Any] {
                FuzzCheck.expect(reading.items.count + reading.skipped == records.count,
                                 "\(records.count) records, \(reading.items.count) items and \(reading.skipped) skipped\n\(context)")
            }
            for item in reading.items {
                FuzzCheck.expect(InfoCode(item.infoCode.rawValue) == item.infoCode, "info code not trimmed\n\(context)")
                FuzzCheck.expect(!item.title.isEmpty && item.title == item.title.trimmingCharacters(in: .whitespacesAndNewlines),
                                 "title \(item.title.debugDescription) empty or not trimmed\n\(context)")
                FuzzCheck.expect(!item.categoryNames.isEmpty && item.categoryNames.allSatisfy { !$0.isEmpty }, "an empty category\n\(context)")
            }
            for warning in reading.warnings {
                FuzzCheck.expect(warning.hasPrefix("source 'fuzz'"), "a warning not naming its source: \(warning)\n\(context)")
            }
        }
    }

    static func source(_ mapping: String) -> JSONSource {
        let yaml = """
        sources:
          - name: fuzz
            type: json
            url: \(url)
            \(mapping)
        """
        do {
            let config = try ConfigLoader.parse(yaml: yaml, file: "fuzz.yaml", baseDirectory: "/tmp")
            guard let source = config.sources.first, case .json(let settings) = source.kind else { fatalError("no json source") }
            return JSONSource(config: source, settings: settings, client: HTTPClient(settings: FetchSettings()),
                              dates: DateParser(zone: config.site.timezone))
        } catch {
            fatalError("the fuzz target's own config is invalid: \(error)")
        }
    }
}
