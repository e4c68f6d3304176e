/// Runs a `RegexProgram` over text in one pass: at each scalar every live
/// thread advances together, at most one thread per instruction, so the work
/// is bounded by (text length × program size) whatever the pattern — no
/// backtracking, no exponential blow-up. Threads are kept in priority order,
/// which gives the leftmost-first (Perl-like) match and captures.
struct PikeVM {
    let program: RegexProgram
    /// The text's scalars; with `folded`, the comparison copy (lower-cased).
    let text: [Unicode.Scalar]
    let folded: [UInt32]?

    enum Outcome {
        /// Capture slots: group k spans `slots[2k]..<slots[2k+1]` (-1: did not take part).
        case match([Int])
        case noMatch
        case budgetExceeded
    }

    init(program: RegexProgram, text: [Unicode.Scalar]) {
        self.program = program
        self.text = text
        folded = program.ignoresCase ? text.map { CaseFold.lower($0).value } : nil
    }

    /// A list of threads: which instructions are live (a sparse set) and each one's captures.
    private struct ThreadList {
        var dense: [Int]
        var sparse: [Int]
        var count = 0
        /// The consuming (and match) instructions in priority order.
        var order: [Int] = []
        var slots: [Int]
        let width: Int

        init(size: Int, width: Int) {
            dense = Array(repeating: 0, count: size)
            sparse = Array(repeating: 0, count: size)
            slots = Array(repeating: -1, count: size * width)
            self.width = width
        }

        func contains(_ pc: Int) -> Bool {
            let d = sparse[pc]
            return d < count && dense[d] == pc
        }

        mutating func insert(_ pc: Int) {
            sparse[pc] = count
            dense[count] = pc
            count += 1
        }

        mutating func clear() {
            count = 0
            order.removeAll(keepingCapacity: true)
        }
    }

    private enum Work {
        case explore(Int)
        case restore(slot: Int, value: Int)
    }

    /// The leftmost-first match starting at or after `from`. `budget` counts
    /// instruction visits; it is shared by the calls that pass the same one.
    /// Without `captures` no positions are tracked and the first thread to
    /// reach `match` ends the search (`.match([])`): all a condition needs.
    func firstMatch(from: Int, budget: inout Int, captures: Bool = true) -> Outcome {
        let size = program.instructions.count
        let width = captures ? 2 * (program.groupCount + 1) : 0
        var current = ThreadList(size: size, width: width)
        var next = ThreadList(size: size, width: width)
        var scratch = Array(repeating: -1, count: width)
        var stack: [Work] = []
        stack.reserveCapacity(2 * size)
        current.order.reserveCapacity(size)
        next.order.reserveCapacity(size)
        var matched: [Int]?
        var pos = from
        while true {
            let mayStart = !(program.anchoredAtStart && pos > 0)
            if matched == nil, mayStart {
                if current.order.isEmpty, let first = program.firstScalars {
                    // No thread alive: go straight to the next scalar a match can begin with.
                    var p = pos
                    while p < text.count, !first.contains(folded?[p] ?? text[p].value) { p += 1 }
                    if p >= text.count { break } // such a pattern cannot match the empty string
                    if p != pos {
                        current.clear()
                        pos = p
                    }
                }
                for k in 0..<width { scratch[k] = -1 }
                guard add(&current, pc: 0, at: pos, slots: &scratch, stack: &stack, budget: &budget) else {
                    return .budgetExceeded
                }
            }
            if current.order.isEmpty {
                if matched != nil || pos >= text.count || !mayStart { break }
                current.clear()
                pos += 1
                continue
            }
            next.clear()
            for pc in current.order {
                budget -= 1
                if budget < 0 { return .budgetExceeded }
                let base = pc * width
                let advances: Bool
                switch program.instructions[pc] {
                case .match:
                    guard captures else { return .match([]) }
                    matched = Array(current.slots[base..<base + width])
                    advances = false
                case .scalar(let want):
                    advances = pos < text.count && (folded?[pos] ?? text[pos].value) == want
                case .set(let index, let negated):
                    advances = pos < text.count && matches(program.sets[index], negated: negated, at: pos)
                case .any:
                    advances = pos < text.count && text[pos] != "\n"
                default:
                    advances = false
                }
                if case .match = program.instructions[pc] { break } // lower-priority threads are cut
                if advances {
                    for k in 0..<width { scratch[k] = current.slots[base + k] }
                    guard add(&next, pc: pc + 1, at: pos + 1, slots: &scratch, stack: &stack, budget: &budget) else {
                        return .budgetExceeded
                    }
                }
            }
            swap(&current, &next)
            if pos >= text.count { break }
            pos += 1
        }
        return matched.map { .match($0) } ?? .noMatch
    }

    private func matches(_ set: ScalarSet, negated: Bool, at pos: Int) -> Bool {
        let s = text[pos]
        var hit = set.contains(s.value)
        if !hit, program.ignoresCase {
            hit = set.contains(CaseFold.lower(s).value) || set.contains(CaseFold.upper(s).value)
        }
        return hit != negated
    }

    private func isWord(_ pos: Int) -> Bool {
        pos >= 0 && pos < text.count && ScalarSet.word.contains(text[pos].value)
    }

    private func holds(_ assertion: RegexNode.Assertion, at pos: Int) -> Bool {
        switch assertion {
        case .textStart: pos == 0
        case .textEnd: pos == text.count
        case .wordBoundary: isWord(pos - 1) != isWord(pos)
        case .notWordBoundary: isWord(pos - 1) == isWord(pos)
        }
    }

    /// Follows the empty transitions from `pc` at `pos`, adding each reachable
    /// consuming instruction once, in priority order. False: over budget.
    private func add(_ list: inout ThreadList, pc start: Int, at pos: Int, slots: inout [Int],
                     stack: inout [Work], budget: inout Int) -> Bool {
        stack.append(.explore(start))
        while let work = stack.popLast() {
            switch work {
            case .restore(let slot, let value):
                slots[slot] = value
            case .explore(let pc):
                budget -= 1
                if budget < 0 { stack.removeAll(); return false }
                if list.contains(pc) { continue }
                list.insert(pc)
                switch program.instructions[pc] {
                case .jump(let to):
                    stack.append(.explore(to))
                case .split(let first, let second):
                    stack.append(.explore(second))
                    stack.append(.explore(first))
                case .save where list.width == 0: // no captures kept
                    stack.append(.explore(pc + 1))
                case .save(let slot):
                    stack.append(.restore(slot: slot, value: slots[slot]))
                    slots[slot] = pos
                    stack.append(.explore(pc + 1))
                case .assertion(let a):
                    if holds(a, at: pos) { stack.append(.explore(pc + 1)) }
                default:
                    list.order.append(pc)
                    let base = pc * list.width
                    for k in 0..<list.width { list.slots[base + k] = slots[k] }
                }
            }
        }
        return true
    }
}
