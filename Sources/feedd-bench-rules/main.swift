// The rules benchmark (bench/rules.sh builds it in release): feedd's
// linear-time engine over the titles and patterns rules_corpus.py wrote,
// case-insensitive like the rules' default. Prints the median of the rounds
// as titles/s, and the hit count (it must equal re_peer.py's).
//
//   feedd-bench-rules CORPUS_DIR [ROUNDS=5]
//   feedd-bench-rules --hostile N      seconds for (a+)+$ on N a's and a '!'
import FeedRules
import Foundation

let args = CommandLine.arguments
if args.count > 2, args[1] == "--hostile", let n = Int(args[2]) {
    let pattern = try Pattern("(a+)+$")
    let text = String(repeating: "a", count: n) + "!"
    let started = ContinuousClock.now
    guard pattern.matches(text) == false else { fatalError("(a+)+$ must miss") }
    let d = ContinuousClock.now - started
    print(String(format: "%.4f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
    exit(0)
}
guard args.count > 1 else { print("usage: feedd-bench-rules CORPUS_DIR [ROUNDS]"); exit(2) }
let folder = args[1]
let rounds = args.count > 2 ? Int(args[2]) ?? 5 : 5
let titles = try String(contentsOfFile: folder + "/titles.txt", encoding: .utf8).split(separator: "\n").map(String.init)
var rules: [(match: Bool, pattern: Pattern, replacement: Replacement?)] = []
for line in try String(contentsOfFile: folder + "/patterns.tsv", encoding: .utf8).split(separator: "\n") {
    let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    let p = try Pattern(f[1])
    rules.append((f[0] == "match", p, f[0] == "match" ? nil : try Replacement(f[2], groupCount: p.groupCount)))
}
var times: [Double] = []
var hits = 0
for _ in 0..<rounds {
    hits = 0
    let started = ContinuousClock.now
    for t in titles {
        for r in rules {
            if r.match {
                if r.pattern.matches(t) == true { hits += 1 }
            } else if let out = r.pattern.replacingMatches(in: t, with: r.replacement!), out != t {
                hits += 1
            }
        }
    }
    let d = ContinuousClock.now - started
    times.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
}
let median = times.sorted()[times.count / 2]
print(String(format: "%.0f titles/s hits=%d", Double(titles.count) / median, hits))
