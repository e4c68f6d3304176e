import FeedModel
import Foundation

/// The validators of a URL's last answer, sent back as `If-None-Match` and
/// `If-Modified-Since` so an unchanged upstream answers `304` and costs nothing.
public struct ConditionalHeaders: Sendable, Equatable, Hashable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String?, lastModified: String?) {
        self.etag = etag
        self.lastModified = lastModified
    }

    public var isEmpty: Bool { etag == nil && lastModified == nil }
}

/// How the client behaves: limits and identity.
public struct FetchSettings: Sendable {
    public var timeout: Duration
    public var connectTimeout: Duration
    /// Largest body accepted, counted after decompression, enforced while receiving.
    public var maxBody: Int
    public var userAgent: String
    public var maxRedirects: Int

    public init(timeout: Duration = .seconds(20), connectTimeout: Duration = .seconds(10),
                maxBody: Int = 15 << 20, userAgent: String = "feedd/0.1", maxRedirects: Int = 5) {
        self.timeout = timeout
        self.connectTimeout = min(connectTimeout, timeout)
        self.maxBody = maxBody
        self.userAgent = userAgent
        self.maxRedirects = maxRedirects
    }
}

/// One GET, or a form POST (WebSub pings).
public struct FetchRequest: Sendable {
    public var url: String
    public var conditional: ConditionalHeaders?
    /// `application/x-www-form-urlencoded` fields; when set the request is a POST.
    public var form: [(String, String)]?
    /// The source's own headers, proxy and user agent.
    public var options: RequestOptions

    public init(url: String, conditional: ConditionalHeaders? = nil, form: [(String, String)]? = nil,
                options: RequestOptions = .none) {
        self.url = url
        self.conditional = conditional
        self.form = form
        self.options = options
    }

    var formBody: String? {
        form.map { fields in
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            return fields.map { key, value in
                "\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)="
                    + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
            }.joined(separator: "&")
        }
    }
}

/// What came back: status, headers (names lowercased), the raw body bytes.
public struct FetchResponse: Sendable {
    /// The URL after redirects.
    public var url: String
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public var isNotModified: Bool { status == 304 }
    public var contentType: String? { headers["content-type"] }

    /// The validators to store for the next conditional GET.
    public var validators: ConditionalHeaders {
        ConditionalHeaders(etag: headers["etag"], lastModified: headers["last-modified"])
    }

    /// The body as UTF-8 text, decoded from the charset the answer declares
    /// (Content-Type, else a BOM, else `<meta charset>` / `<?xml encoding>`).
    public func text() throws(FetchError) -> String {
        do {
            return try TextDecoder.decode(body, contentType: contentType)
        } catch {
            throw .undecodable(url: url, charset: error.charset, offset: error.offset)
        }
    }
}

/// Why a fetch failed, with the URL it was for.
public enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    case transport(url: String, message: String)
    case timedOut(url: String, after: Duration)
    case status(url: String, code: Int, retryAfter: String?)
    case tooLarge(url: String, limit: Int)
    case undecodable(url: String, charset: String, offset: Int)
    case cancelled(url: String)

    public var url: String {
        switch self {
        case .transport(let u, _), .timedOut(let u, _), .status(let u, _, _), .tooLarge(let u, _),
             .undecodable(let u, _, _), .cancelled(let u): u
        }
    }

    public var description: String {
        switch self {
        case .transport(let url, let message): "\(url): \(message)"
        case .timedOut(let url, let after): "\(url): no complete answer within \(after)"
        case .status(let url, let code, _): "\(url): HTTP status \(code)"
        case .tooLarge(let url, let limit): "\(url): body larger than the limit of \(limit) bytes"
        case .undecodable(let url, let charset, let offset): "\(url): bytes that are not valid \(charset) at offset \(offset)"
        case .cancelled(let url): "\(url): cancelled"
        }
    }
}
