/// A pattern compiled to instructions for the Pike VM (Thompson's
/// construction): every repetition is a loop of `split`s, never a retry.
struct RegexProgram: Sendable {
    enum Instruction: Sendable {
        /// One scalar (already folded when the pattern ignores case).
        case scalar(UInt32)
        case set(Int, negated: Bool)
        case any
        case assertion(RegexNode.Assertion)
        /// Try `first`, then `second` (lower priority).
        case split(first: Int, second: Int)
        case jump(Int)
        /// Record the position in capture slot n (2k: group k's start, 2k+1: its end).
        case save(Int)
        case match
    }

    /// More instructions than this is a config error, not a slow match:
    /// `(a{1000}){1000}` must not make a million-instruction program.
    static let maxInstructions = 20_000

    private(set) var instructions: [Instruction] = []
    private(set) var sets: [ScalarSet] = []
    let groupCount: Int
    let ignoresCase: Bool
    /// The pattern starts with `^`: only a thread at offset 0 can match.
    private(set) var anchoredAtStart = false
    /// When every match must begin with one of these (folded) scalars — a
    /// literal or an alternation of literals, the usual rule — the search
    /// skips other scalars while no thread is alive. nil: no such set.
    private(set) var firstScalars: ScalarSet?
    /// When the pattern is only literals and `|` (`广告|推广|直播预告`, the usual
    /// discard rule), the literals (folded when ignoring case): whether it
    /// matches is then a plain search, no VM. nil: any other pattern.
    private(set) var literals: [[UInt32]]?

    init(_ node: RegexNode, groupCount: Int, ignoresCase: Bool) throws(PatternError) {
        self.groupCount = groupCount
        self.ignoresCase = ignoresCase
        emit(.save(0))
        try compile(node)
        emit(.save(1))
        emit(.match)
        anchoredAtStart = Self.startsAnchored(node)
        firstScalars = leadingScalars()
        literals = Self.literalAlternatives(node, ignoresCase: ignoresCase)
    }

    private static func literalAlternatives(_ node: RegexNode, ignoresCase: Bool) -> [[UInt32]]? {
        func literal(_ n: RegexNode) -> [UInt32]? {
            switch n {
            case .scalar(let s): return [ignoresCase ? CaseFold.lower(s).value : s.value]
            case .concat(let items):
                var out: [UInt32] = []
                for item in items {
                    guard let l = literal(item) else { return nil }
                    out += l
                }
                return out
            case .group(let inner, _): return literal(inner)
            default: return nil
            }
        }
        let branches: [RegexNode]
        switch node {
        case .alternation(let b): branches = b
        case .group(.alternation(let b), _): branches = b
        default: branches = [node]
        }
        var out: [[UInt32]] = []
        for b in branches {
            guard let l = literal(b), !l.isEmpty else { return nil }
            out.append(l)
        }
        return out
    }

    /// The scalars the first consuming instructions want, if they are all plain scalars.
    private func leadingScalars() -> ScalarSet? {
        var set = ScalarSet()
        var seen = Set<Int>()
        var work = [0]
        while let pc = work.popLast() {
            guard seen.insert(pc).inserted else { continue }
            switch instructions[pc] {
            case .scalar(let v): set.insert(v...v)
            case .save: work.append(pc + 1)
            case .jump(let to): work.append(to)
            case .split(let a, let b): work.append(a); work.append(b)
            case .set, .any, .assertion, .match: return nil
            }
        }
        return set
    }

    private static func startsAnchored(_ node: RegexNode) -> Bool {
        switch node {
        case .assertion(.textStart): true
        case .concat(let items): items.first.map(startsAnchored) ?? false
        case .group(let inner, _): startsAnchored(inner)
        case .alternation(let branches): branches.allSatisfy(startsAnchored)
        default: false
        }
    }

    @discardableResult
    private mutating func emit(_ instruction: Instruction) -> Int {
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func compile(_ node: RegexNode) throws(PatternError) {
        guard instructions.count <= Self.maxInstructions else {
            throw PatternError(message: "the pattern is too large (over \(Self.maxInstructions) instructions); use smaller {m,n} counts",
                               offset: 0)
        }
        switch node {
        case .empty:
            break
        case .scalar(let s):
            emit(.scalar(ignoresCase ? CaseFold.lower(s).value : s.value))
        case .set(let set, let negated):
            sets.append(set)
            emit(.set(sets.count - 1, negated: negated))
        case .any:
            emit(.any)
        case .assertion(let a):
            emit(.assertion(a))
        case .group(let inner, let capture):
            if let capture { emit(.save(2 * capture)) }
            try compile(inner)
            if let capture { emit(.save(2 * capture + 1)) }
        case .concat(let items):
            for item in items { try compile(item) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (n, branch) in branches.enumerated() {
                if n == branches.count - 1 {
                    try compile(branch)
                } else {
                    let split = emit(.split(first: 0, second: 0))
                    try compile(branch)
                    jumps.append(emit(.jump(0)))
                    instructions[split] = .split(first: split + 1, second: instructions.count)
                }
            }
            for j in jumps { instructions[j] = .jump(instructions.count) }
        case .repetition(let inner, let min, let max, let greedy):
            try compileRepetition(inner, min: min, max: max, greedy: greedy)
        }
    }

    private mutating func compileRepetition(_ inner: RegexNode, min: Int, max: Int?, greedy: Bool) throws(PatternError) {
        for _ in 0..<min { try compile(inner) }
        if let max {
            // x{m,n}: m copies, then n-m nested optional copies.
            var splits: [Int] = []
            for _ in min..<max {
                splits.append(emit(.split(first: 0, second: 0)))
                try compile(inner)
            }
            let end = instructions.count
            for s in splits { instructions[s] = greedy ? .split(first: s + 1, second: end) : .split(first: end, second: s + 1) }
        } else {
            // x*: L: split(body, end); body; jump L.
            let loop = emit(.split(first: 0, second: 0))
            try compile(inner)
            emit(.jump(loop))
            let end = instructions.count
            instructions[loop] = greedy ? .split(first: loop + 1, second: end) : .split(first: end, second: loop + 1)
        }
    }
}
