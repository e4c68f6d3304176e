/// Checks on plain text fields (titles, ids, links, categories): what a
/// writer can put into XML 1.0 at all.
public enum TextChecks {
    /// A sentence per character XML 1.0 forbids in `text` (C0 controls but
    /// tab, newline and return; U+FFFE, U+FFFF); `name` says which field.
    public static func forbiddenCharacters(in text: String, named name: String) -> [String] {
        var problems: [String] = []
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF {
                problems.append("\(name) holds U+\(String(v, radix: 16, uppercase: true)), which XML 1.0 forbids")
            }
        }
        return problems
    }
}
