/// Refuses, before libxml2 sees it, any document whose DOCTYPE declares
/// entities. Feeds never need them; billion-laughs (nested internal entities)
/// and XXE (external entities naming local files or URLs) documents always do.
/// libxml2 is also run without entity substitution or DTD loading: this check
/// makes the refusal immediate, cheap and independent of libxml2's version.
enum XMLPrologGuard {
    /// Throws when the prolog (everything before the root element) declares an entity.
    static func check(_ bytes: UnsafeBufferPointer<UInt8>) throws(FeedParseError) {
        let n = bytes.count
        var i = 0
        while i < n {
            guard let lt = find(0x3C, in: bytes, from: i) else { return } // '<'
            if has("<?", bytes, at: lt) {
                i = find("?>", in: bytes, from: lt + 2).map { $0 + 2 } ?? n
            } else if has("<!--", bytes, at: lt) {
                i = find("-->", in: bytes, from: lt + 4).map { $0 + 3 } ?? n
            } else if has("<!DOCTYPE", bytes, at: lt) {
                let end = doctypeEnd(bytes, from: lt + 9)
                if find("<!ENTITY", in: bytes, from: lt, before: end) != nil { throw .declaresEntities }
                i = end
            } else {
                return // the root element: the prolog is over
            }
        }
    }

    /// The index after the DOCTYPE's closing `>`: past its internal subset `[…]` when it has one.
    private static func doctypeEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        var quote: UInt8?
        var inSubset = false
        while i < b.count {
            let c = b[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == 0x22 || c == 0x27 {
                quote = c
            } else if c == 0x5B { // [
                inSubset = true
            } else if c == 0x5D { // ]
                inSubset = false
            } else if c == 0x3E && !inSubset { // >
                return i + 1
            } else if inSubset, has("<!ENTITY", b, at: i) {
                return b.count // found in the subset: the caller's search will see it
            }
            i += 1
        }
        return b.count
    }

    private static func has(_ literal: StaticString, _ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard i + count <= b.count else { return false }
        let p = literal.utf8Start
        for k in 0..<count where b[i + k] != p[k] { return false }
        return true
    }

    private static func find(_ byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while i < b.count {
            if b[i] == byte { return i }
            i += 1
        }
        return nil
    }

    private static func find(_ literal: StaticString, in b: UnsafeBufferPointer<UInt8>, from start: Int,
                             before end: Int? = nil) -> Int? {
        let limit = min(end ?? b.count, b.count)
        var i = start
        while i < limit {
            if has(literal, b, at: i) { return i }
            i += 1
        }
        return nil
    }
}
