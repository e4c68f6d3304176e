import FeedConfig
import FeedModel

/// A stable hash of a source's settings, so nodes can tell whose config differs
/// for which source. Everything but the line it stands on in the file counts
/// (header values too: hashed, never shown). Built from `dump`, whose output
/// depends only on the values: every setting is a struct, enum, array or string.
public enum SourceFingerprint {
    public static func of(_ source: SourceConfig) -> String {
        var settings = source
        settings.line = nil
        var text = ""
        dump(settings, to: &text)
        return FNV1a.hex16(FNV1a.hash(text))
    }
}
