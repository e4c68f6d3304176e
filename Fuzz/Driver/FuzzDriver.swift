#if canImport(Glibc)
import Glibc
#endif

/// The one entry point of every fuzz target.
///
/// Built for fuzzing (`make fuzz`: `-sanitize=fuzzer,address -DFEEDD_FUZZ`),
/// it hands the command line to libFuzzer's driver, which calls `body` with
/// each generated input. Built as an ordinary executable (the debug build of
/// the package), it runs `body` once over each file named on the command line:
/// a finding replays without the sanitizers, in a debugger if need be.
///
/// `body` checks what must hold and calls `FuzzCheck.fail` when it does not:
/// a crash is not the only finding.
public enum FuzzDriver {
    public typealias Body = (_ input: [UInt8]) -> Void

    // Set once, before libFuzzer starts calling back on this thread; a C
    // callback cannot capture it.
    nonisolated(unsafe) static var body: Body?

    public static func main(_ body: @escaping Body) -> Never {
        Self.body = body
        #if FEEDD_FUZZ
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            FuzzDriver.body?(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        })
        #else
        let files = CommandLine.arguments.dropFirst()
        guard !files.isEmpty else {
            writeError("usage: \(CommandLine.arguments[0]) FILE…  (replays inputs; `make fuzz` builds the fuzzer)\n")
            exit(2)
        }
        for file in files {
            guard let input = readFile(file) else {
                writeError("cannot read \(file)\n")
                exit(2)
            }
            body(input)
            print("ok: \(file)")
        }
        exit(0)
        #endif
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n > 0 { bytes += buffer[..<n] }
            if n < buffer.count { return ferror(f) == 0 ? bytes : nil }
        }
    }
}

/// What a fuzz target asserts.
public enum FuzzCheck {
    /// Reports a broken property with the input's context and aborts, so
    /// libFuzzer keeps the input as a crash artifact.
    public static func fail(_ message: String) -> Never {
        writeError("FUZZ PROPERTY FAILED: \(message)\n")
        abort()
    }

    /// Fails with `problems` joined, when there are any.
    public static func expect(_ problems: [String], _ context: @autoclosure () -> String) {
        guard !problems.isEmpty else { return }
        fail(problems.joined(separator: "; ") + "\n" + context())
    }

    public static func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fail(message()) }
    }
}

/// To standard error, unbuffered (the process may abort next).
func writeError(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        if n <= 0 { return }
        bytes = bytes.dropFirst(n)
    }
}

#if FEEDD_FUZZ
/// libFuzzer's driver, for a program that has its own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32
#endif
