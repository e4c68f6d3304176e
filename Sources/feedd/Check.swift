import ArgumentParser
import FeedConfig
import Foundation

extension Feedd {
    /// Validates the config without fetching anything.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the config file without fetching; exit 0 when valid, 2 when not."
        )

        @OptionGroup var options: ConfigOption

        func run() throws {
            let config = try options.load()
            var warnings: [String] = []
            var categoryNames = Set(config.sources.compactMap(\.category))
            categoryNames.formUnion(config.categories.keys)
            for name in categoryNames.sorted() {
                let (category, warning) = config.category(named: name)
                if let warning { warnings.append(warning) }
                print("category \(category.name) → \(category.slug)")
            }
            for topic in config.topics { print("topic \(topic.category.name) → \(topic.category.slug)") }
            for warning in warnings { print("warning: \(warning)") }
            print("\(config.file): ok, \(config.sources.count) sources")
        }
    }
}
