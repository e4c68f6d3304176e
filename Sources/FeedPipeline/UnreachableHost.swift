import FeedFetch
import FeedSources
import Foundation

extension SourceError {
    /// libcurl's words (`curl_easy_strerror`) for a request that never reached
    /// a server: the name did not resolve, or nothing accepted the connection.
    static let unreachableMessages: Set<String> = ["Couldn't resolve host name", "Couldn't connect to server"]

    /// `host` or `host:port` of a fetch that reached no server, else nil.
    var unreachableHost: String? {
        guard case .fetch(_, .transport(let url, let message)) = self, Self.unreachableMessages.contains(message),
              let parts = URLComponents(string: url), let host = parts.host else { return nil }
        return parts.port.map { "\(host):\($0)" } ?? host
    }
}
