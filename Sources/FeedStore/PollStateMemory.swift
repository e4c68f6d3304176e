import Synchronization

/// What one poll reads and writes, held in memory by the process that polls:
/// each source's state and each list URL's validators as this store last read
/// or wrote them, and the states recorded but not yet written. A poll answered
/// 304 then reads nothing from the file and does not wait for its write: the
/// states recorded meanwhile are written together, by whoever writes next
/// (`FeedStore.writeRecorded`); an apply writes its source's state itself.
///
/// The daemon (one process, one pipeline at a time) is the only writer of its
/// sources' states and validators. Another process on the same file, such as
/// `feedd refresh --source` run by hand, is not seen until this process writes
/// the source again: at worst one conditional GET with an older validator (a
/// full answer instead of a 304) and a state record that this process's next
/// poll replaces.
final class PollStateMemory: Sendable {
    typealias Validators = (etag: String?, lastModified: String?)

    struct Contents {
        /// By source name; `.some(nil)`: read, never polled.
        var states: [String: SourceState?] = [:]
        /// By list URL; `.some(nil)`: read, none stored.
        var validators: [String: Validators?] = [:]
        /// Recorded, not written yet, by source name (each the source's latest).
        var unwritten: [String: SourceState] = [:]
        /// Taken by the write in progress (put back if its commit fails).
        var writing: [SourceState] = []
        /// A write of `unwritten` is queued.
        var writeQueued = false
    }

    let contents = Mutex(Contents())

    /// The poll's start, when both halves are held.
    func pollStart(source name: String, url: String) -> PollStart? {
        contents.withLock { c in
            guard let state = c.states[name], let validators = c.validators[url] else { return nil }
            return PollStart(state: state, validators: validators)
        }
    }

    /// Holds what was read from the file, unless something newer is held already.
    func remember(_ read: PollStart, source name: String, url: String) -> PollStart {
        contents.withLock { c in
            if c.states[name] == nil { c.states[name] = .some(read.state) }
            if c.validators[url] == nil { c.validators[url] = .some(read.validators) }
            return PollStart(state: c.states[name]!, validators: c.validators[url]!)
        }
    }

    /// Inside the transaction that writes `name`'s newer state: its recorded one must not be written after it.
    func supersede(_ name: String) {
        contents.withLock { _ = $0.unwritten.removeValue(forKey: name) }
    }

    /// After the transaction that wrote `state` (and `validators`, when it wrote them; both nil: removed) committed.
    func wrote(_ state: SourceState, validators: (url: String, etag: String?, lastModified: String?)? = nil) {
        contents.withLock { c in
            c.states[state.name] = .some(state)
            if let v = validators { c.validators[v.url] = .some(v.etag == nil && v.lastModified == nil ? nil : (v.etag, v.lastModified)) }
        }
    }

    /// Takes the states not written yet (to write them in the caller's transaction).
    func takeUnwritten() -> [SourceState] {
        contents.withLock { c in
            defer { c.unwritten = [:] }
            return c.unwritten.values.sorted { $0.name < $1.name }
        }
    }

    /// Puts back the states of a write that failed, unless a newer one was
    /// recorded or written meanwhile; returns the names of the sources it was for.
    func restoreWriting() -> [String] {
        contents.withLock { c in
            for state in c.writing where c.unwritten[state.name] == nil && c.states[state.name] == .some(state) {
                c.unwritten[state.name] = state
            }
            defer { c.writing = [] }
            return c.writing.map(\.name)
        }
    }
}
