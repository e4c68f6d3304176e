import Foundation

/// `storage:` as a PostgreSQL URL, `postgres://user:pass@host:port/db?sslmode=…`
/// (or `postgresql://`): the database several feedd nodes share (issue 12).
/// `Config.storage` then holds `redacted`, so nothing that prints the storage
/// prints the password.
public struct PostgresStorage: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode

    /// libpq's `sslmode` words feedd accepts.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS if the server offers it, certificate not checked (libpq's default).
        case prefer
        /// TLS or no connection; certificate not checked.
        case require
        /// TLS, certificate chain checked, host name not.
        case verifyCA = "verify-ca"
        /// TLS, certificate and host name checked.
        case verifyFull = "verify-full"
    }

    public init(host: String, port: Int, user: String, password: String?, database: String, sslMode: SSLMode) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
    }

    /// The URL with the password left out.
    public var redacted: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(h):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// Whether `text` is meant as a PostgreSQL URL rather than a path.
    public static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Reads a URL; a mistake comes back as a message naming the part that is wrong
    /// (never echoing the password).
    public static func parse(_ text: String) -> Result<PostgresStorage, Mistake> {
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            return .failure(Mistake("not a URL of the form postgres://user:password@host:port/database?sslmode=disable"))
        }
        guard let host = parts.host, !host.isEmpty else { return .failure(Mistake("the URL names no host")) }
        guard let user = parts.user, !user.isEmpty else {
            return .failure(Mistake("the URL names no user (postgres://USER:password@\(host)/…)"))
        }
        let port = parts.port ?? 5432
        guard (1...65_535).contains(port) else { return .failure(Mistake("port \(port) is out of range 1…65535")) }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            return .failure(Mistake("the URL names no database (…@\(host):\(port)/DATABASE)"))
        }
        var mode = SSLMode.prefer
        for item in parts.queryItems ?? [] {
            guard item.name == "sslmode" else {
                return .failure(Mistake("unknown URL parameter '\(item.name)' (allowed: sslmode)"))
            }
            guard let value = item.value, let known = SSLMode(rawValue: value) else {
                return .failure(Mistake("sslmode '\(item.value ?? "")' is not one of "
                                        + SSLMode.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            mode = known
        }
        return .success(PostgresStorage(host: host, port: port, user: user, password: parts.password,
                                        database: database, sslMode: mode))
    }

    public struct Mistake: Error, Sendable, Equatable {
        public var message: String
        init(_ message: String) { self.message = message }
    }
}
