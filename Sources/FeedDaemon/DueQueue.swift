/// The sources waiting for their next poll, earliest due first: a binary
/// min-heap, so taking the next due source and scheduling one again cost
/// O(log n) however many sources there are. An entry is identified by its
/// source name and a generation; a rescheduled source leaves its older entry
/// behind, which the scheduler recognises as stale when it comes up and drops.
struct DueQueue<Instant: Comparable> {
    struct Due {
        var at: Instant
        var name: String
        var generation: Int
    }

    private var heap: [Due] = []

    var count: Int { heap.count }
    var first: Due? { heap.first }

    mutating func insert(_ due: Due) {
        heap.append(due)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].at < heap[parent].at else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry.
    mutating func removeFirst() -> Due? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].at < heap[smallest].at { smallest = left }
            if right < heap.count && heap[right].at < heap[smallest].at { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    mutating func removeAll() { heap.removeAll(keepingCapacity: true) }
}
