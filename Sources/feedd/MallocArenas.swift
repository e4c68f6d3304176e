import Foundation

/// glibc gives each thread that meets a locked arena one of its own (up to 8 per core), and
/// each keeps the memory it once held: the daemon's threads (cooperative pool, blocking and
/// poll pools, curl's, NIO's) would each hold a heap. Two arenas serve its few threads; also
/// `feedd refresh`'s, whose peak at 10,000 sources varied from 86 to 107 MB without the limit.
func limitMallocArenas() {
    #if canImport(Glibc)
    // glibc's mallopt (not in Swift's Glibc module, as malloc_trim in FeedConfig): from the process's own symbols.
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let arenaMax: Int32 = -8 // M_ARENA_MAX in <malloc.h>
    guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") else { return }
    if unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, 2) == 0 {
        FileHandle.standardError.write(Data("feedd: mallopt(M_ARENA_MAX, 2) refused; glibc's default arenas stay\n".utf8))
    }
    #endif
}
