import FeedModel
import FeedSources

/// Makes "one info code, one body request" hold when several sources list the
/// same new article at the same moment: the first asks, the others wait for
/// its answer. Recent answers are kept (bounded) for sources polled just after.
actor BodyCoordinator {
    typealias Answer = Result<String?, SourceError>
    private var inFlight: [InfoCode: Task<Answer, Never>] = [:]
    private var recent: [InfoCode: Answer] = [:]
    private var recentOrder: [InfoCode] = []
    private let keep = 2_000

    func body(for code: InfoCode, fetch: @escaping @Sendable () async -> Answer) async -> Answer {
        if let answer = recent[code] { return answer }
        if let task = inFlight[code] { return await task.value }
        let task = Task { await fetch() }
        inFlight[code] = task
        let answer = await task.value
        inFlight[code] = nil
        if case .success = answer { remember(code, answer) } // failures are asked again next poll
        return answer
    }

    private func remember(_ code: InfoCode, _ answer: Answer) {
        recent[code] = answer
        recentOrder.append(code)
        if recentOrder.count > keep {
            let drop = recentOrder.prefix(recentOrder.count - keep)
            for old in drop { recent[old] = nil }
            recentOrder.removeFirst(drop.count)
        }
    }
}
