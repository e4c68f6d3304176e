import FeedFetch

/// Why polling a source failed, naming the source and the URL.
public enum SourceError: Error, Sendable, CustomStringConvertible {
    case fetch(source: String, FetchError)
    case malformed(source: String, url: String, message: String)

    public var description: String {
        switch self {
        case .fetch(let source, let error): "source '\(source)': \(error)"
        case .malformed(let source, let url, let message): "source '\(source)': \(url): \(message)"
        }
    }

    /// The server's `Retry-After`, when it sent one with a 429 or 503.
    public var retryAfter: String? {
        if case .fetch(_, .status(_, let code, let retryAfter)) = self, code == 429 || code == 503 { return retryAfter }
        return nil
    }
}
