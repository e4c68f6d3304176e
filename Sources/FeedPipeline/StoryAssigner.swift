import FeedConfig
import FeedModel
import FeedStore
import FeedStories
import Foundation
import Logging

/// Story detection at the store step: each item stored with a body gets a
/// fingerprint and joins the story of a confirmed match within
/// `stories.window`, or starts one. With `stories: off` it does nothing.
struct StoryAssigner: Sendable {
    let settings: Config.Stories?
    let store: any Store

    /// Items assigned per transaction by `rebuild`.
    static let batchSize = 500

    var window: TimeInterval { settings.map { Double($0.window.components.seconds) } ?? 0 }

    /// The stories of one poll's items that came with a body, for the store to
    /// assign in the write that stores them; nil with `stories: off` or no body.
    func request(for items: [IncomingItem]) -> StoryRequest? {
        guard settings != nil else { return nil }
        let inputs = items.compactMap { item in
            item.body.map { body in
                StoryInput(infoCode: item.infoCode, fingerprint: StoryFingerprint(title: item.title, html: body.html),
                           published: item.published,
                           namesItselfAsSource: body.outlet.map { outlet in item.categories.contains { $0.name == outlet } } ?? false)
            }
        }
        return inputs.isEmpty ? nil : StoryRequest(inputs: inputs, window: window)
    }

    /// Assigns every stored item without a story (stored before stories
    /// existed, or while they were off), oldest first, in batches of
    /// `batchSize`. Running it again assigns nothing.
    func rebuild(now: Date, progress: (StoryAssignment) -> Void = { _ in }) async throws(StoreError) -> StoryAssignment {
        var total = StoryAssignment()
        while true {
            let batch = try await store.itemsWithoutStory(limit: Self.batchSize)
            guard !batch.isEmpty else { break }
            let inputs = batch.map { StoryInput(infoCode: $0.infoCode, fingerprint: StoryFingerprint(title: $0.title, html: $0.body),
                                                published: $0.published, namesItselfAsSource: $0.namesItselfAsSource) }
            let result = try await store.assignStories(inputs, window: window, now: now)
            total.founded += result.founded
            total.joined += result.joined
            progress(result)
            // Every item of the batch now has a story; one that did not would be read again forever.
            guard result.founded + result.joined > 0 else { break }
        }
        return total
    }
}

extension Pipeline {
    var stories: StoryAssigner { StoryAssigner(settings: config.stories, store: store) }

    /// `feedd stories rebuild`: assigns stories to the items stored without
    /// one, then renders `all/` again if a story gained an item.
    public func rebuildStories() async -> (assigned: StoryAssignment, filesWritten: Int, errors: [String]) {
        guard config.stories != nil else { return (StoryAssignment(), 0, ["stories are off in \(config.file)"]) }
        do {
            let result = try await stories.rebuild(now: now()) { batch in
                self.logger.info("stories: \(batch.founded) new, \(batch.joined) joined")
            }
            let outcome = await render(nil)
            return (result, outcome.filesWritten, outcome.errors)
        } catch {
            return (StoryAssignment(), 0, ["\(error)"])
        }
    }
}
