// PLACEHOLDER until the libxml2 normalizer lands (issue 3): keeps the API stable.
import Foundation

public struct NormalizedBody: Sendable, Equatable {
    public var html: String
    public var summary: String
    public var outlet: String?
}

public enum HTMLNormalizer {
    public static let version = 0
    public static func normalize(_ body: String, articleURL: String?) -> NormalizedBody {
        NormalizedBody(html: body, summary: summarize(body), outlet: nil)
    }
    public static func summarize(_ text: String) -> String {
        let plain = text.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        return String(plain.prefix(200))
    }
}
