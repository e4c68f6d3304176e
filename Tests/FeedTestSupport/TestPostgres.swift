import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL 15 server for the tests: one per test process,
/// started on first use (`initdb` into a temp folder, `pg_ctl` on a loopback
/// port and a private socket folder, fsync off), a fresh database per test,
/// stopped when the process exits. PostgreSQL refuses to run as root, so as
/// root (CI) the server runs as the `postgres` user (PLATFORM-NOTES). A
/// watcher process stops the server if the test process dies without exiting.
public final class TestPostgres: Sendable {
    public static let binaries = "/usr/lib/postgresql/15/bin"
    public let folder: String
    public let port: Int
    public let user = "feedd"

    /// The process's server, started by the first caller.
    public static func shared() async throws -> TestPostgres { try await Starter.shared.server() }

    /// A new empty database (from `template0`), named uniquely; returns its `postgres://` URL.
    public func freshDatabase() async throws -> String {
        let name = "t\(UInt64.random(in: 0...UInt64.max))"
        try await psql("CREATE DATABASE \(name) TEMPLATE template0")
        return url(database: name)
    }

    public func url(database: String) -> String { "postgres://\(user)@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    /// Runs SQL through `psql` against the maintenance database (no output kept).
    public func psql(_ sql: String, database: String = "postgres") async throws {
        let p = try SpawnedProcess("\(Self.binaries)/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                                                           "-p", "\(port)", "-U", user, "-d", database, "-c", sql],
                                   folder: folder)
        guard let status = await p.wait(timeout: .seconds(30)) else {
            p.kill()
            throw TestPostgresError(step: "psql \(sql)", output: "no answer within 30 s")
        }
        guard status == 0 else { throw TestPostgresError(step: "psql \(sql)", output: p.stderr) }
    }

    init(folder: String, port: Int) {
        self.folder = folder
        self.port = port
    }

    var dataFolder: String { folder + "/data" }

    /// Starts a server, or throws with the failing step's output.
    static func start() async throws -> TestPostgres {
        let folder = try makeFolder()
        let server = TestPostgres(folder: folder, port: try freePort())
        let asRoot = getuid() == 0
        if asRoot {
            try await run(["/usr/bin/chown", "postgres:postgres", folder], in: folder, step: "chown")
        }
        func asServerUser(_ tool: String, _ arguments: [String]) -> [String] {
            asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--", "\(binaries)/\(tool)"] + arguments
                   : ["\(binaries)/\(tool)"] + arguments
        }
        try await run(asServerUser("initdb", ["-D", server.dataFolder, "-U", server.user, "--auth=trust",
                                              "--no-sync", "-E", "UTF8", "--locale=C"]),
                      in: folder, step: "initdb")
        let options = "-p \(server.port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off "
            + "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        let stop = asServerUser("pg_ctl", ["-D", server.dataFolder, "-m", "immediate", "stop"])
        // The watcher: when this process is gone (exited or killed), stop the server and remove its folder.
        let quoted = stop.map { "'\($0)'" }.joined(separator: " ")
        _ = try SpawnedProcess("/bin/sh", ["-c", """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            \(quoted) >/dev/null 2>&1; rm -rf '\(folder)'
            """], folder: "/tmp")
        try await run(asServerUser("pg_ctl", ["-D", server.dataFolder, "-w", "-t", "60", "-l", folder + "/server.log",
                                             "-o", options, "start"]),
                      in: folder, step: "pg_ctl start", timeout: .seconds(90))
        stopCommand.set(stop)
        atexit { TestPostgres.stopAtExit() }
        return server
    }

    private static let stopCommand = Once<[String]>()

    /// Stops the server synchronously as the test process exits.
    static func stopAtExit() {
        guard let stop = stopCommand.value,
              let p = try? SpawnedProcess(stop[0], Array(stop.dropFirst()), folder: "/tmp") else { return }
        var status: Int32 = 0
        waitpid(p.pid, &status, 0)
    }

    private static func run(_ command: [String], in folder: String, step: String,
                            timeout: Duration = .seconds(60)) async throws {
        let p = try SpawnedProcess(command[0], Array(command.dropFirst()), folder: folder)
        guard let status = await p.wait(timeout: timeout) else {
            p.kill()
            throw TestPostgresError(step: step, output: "did not finish within \(timeout)")
        }
        guard status == 0 else { throw TestPostgresError(step: step, output: p.stdout + p.stderr) }
    }

    /// A temp folder every user can search (the server user must reach its data folder).
    private static func makeFolder() throws -> String {
        var template = Array("/tmp/feedd-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestPostgresError(step: "mkdtemp", output: "errno \(errno)") }
        let folder = String(cString: made)
        chmod(folder, 0o755)
        return folder
    }

    /// A loopback port free right now (the kernel's choice for port 0).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw TestPostgresError(step: "pick a port", output: "errno \(errno)") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Starts the server once; every later caller gets the same one (or the same failure).
    actor Starter {
        static let shared = Starter()
        private var started: Task<TestPostgres, Error>?

        func server() async throws -> TestPostgres {
            if let started { return try await started.value }
            let task = Task { try await TestPostgres.start() }
            started = task
            return try await task.value
        }
    }
}

/// A step of starting the test server failed; its output says why.
public struct TestPostgresError: Error, CustomStringConvertible {
    public var step: String
    public var output: String
    public var description: String { "test PostgreSQL: \(step) failed: \(output)" }
}

/// A value set once, read from any thread.
final class Once<T: Sendable>: @unchecked Sendable {
    // @unchecked: `stored` is only touched under `lock`.
    private let lock = NSLock()
    private var stored: T?

    func set(_ value: T) { lock.withLock { stored = value } }
    var value: T? { lock.withLock { stored } }
}
