/// A feed of its own: the outlet or column name (新华财经) and the slug that
/// names its folder in the output (`xinhuacaijing`).
public struct Category: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let slug: Slug

    public init(name: String, slug: Slug) {
        self.name = name
        self.slug = slug
    }

    /// The category every item is in: `output/all/`.
    public static let all = Category(name: "全部", slug: Slug(unchecked: "all"))

    public var description: String { "\(name) (\(slug))" }
}
