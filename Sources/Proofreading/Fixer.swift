/// Applies accepted suggestions to a text.
public enum Fixer {
    /// The text with the replacements of `findings` applied (those without one are ignored). When two
    /// suggestions overlap, the earlier one wins and the other is returned in `skipped`.
    public static func apply(_ findings: [Finding], to text: String) -> (text: String, applied: Int, skipped: [Finding]) {
        let scalars = Array(text.unicodeScalars)
        let fixes = findings.filter { $0.replacement != nil }.sorted {
            ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound)
        }
        var out = String.UnicodeScalarView()
        var cursor = 0
        var applied = 0
        var skipped: [Finding] = []
        for fix in fixes {
            guard fix.range.lowerBound >= cursor, fix.range.upperBound <= scalars.count else {
                skipped.append(fix)
                continue
            }
            out.append(contentsOf: scalars[cursor..<fix.range.lowerBound])
            out.append(contentsOf: fix.replacement!.unicodeScalars)
            cursor = fix.range.upperBound
            applied += 1
        }
        out.append(contentsOf: scalars[cursor...])
        return (String(out), applied, skipped)
    }
}
