/// Text helpers for the HTML report: escaping for HTML and for the embedded JSON, locale-free number formatting
/// (the report must be byte-identical on every machine, so nothing here reads the process locale), and rough
/// text widths for fitting labels into SVG shapes without a browser to measure them.
enum ReportText {
    /// Escapes text for HTML element content and quoted attribute values.
    static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // C0 controls other than tab and line breaks are not allowed in HTML text.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A JSON string literal that is also safe inside an HTML `<script>` element: `<`, `>` and `&` are written as
    /// `\u003c`, `\u003e` and `\u0026`, so neither `</script>` nor `<!--` in a comment can end or confuse the
    /// script element (a stricter form of the usual `<\/` escape).
    static func json(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 8)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            case "\u{0}"..."\u{1F}", "\u{7F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// An integer with thousands separators: 12345 → "12,345".
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// A non-negative number with a fixed count of decimals, rounded half away from zero: (2.345, 2) → "2.35".
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value.magnitude * Double(scale)).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(scaled) }
        let fraction = String(scaled % scale)
        return sign + String(scaled / scale) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// A share (0…1) as a percentage with one decimal: 0.1234 → "12.3%".
    static func percent(_ share: Double) -> String { fixed(share * 100, 1) + "%" }

    /// A yen amount: whole yen with separators, and sen only when the amount is under ¥100 (model runs are cheap).
    static func yen(_ amount: Double) -> String {
        amount >= 100 ? "¥" + count(Int(amount.rounded())) : "¥" + fixed(amount, 2)
    }

    /// The approximate rendered width of `s` in a CJK sans-serif face: full-width characters take 1 em,
    /// ASCII and half-width forms about 0.6 em. Good enough to decide whether a label fits a box.
    static func width(_ s: String, fontSize: Double) -> Double {
        var ems = 0.0
        for scalar in s.unicodeScalars { ems += isNarrow(scalar) ? 0.6 : 1.0 }
        return ems * fontSize
    }

    /// `s` cut (with "…") so that it is at most `maxWidth` wide; empty when not even one character fits.
    static func fitted(_ s: String, maxWidth: Double, fontSize: Double) -> String {
        if width(s, fontSize: fontSize) <= maxWidth { return s }
        var out = ""
        var used = fontSize  // room for the ellipsis
        for c in s {
            let w = width(String(c), fontSize: fontSize)
            if used + w > maxWidth { break }
            out.append(c)
            used += w
        }
        return out.isEmpty ? "" : out + "…"
    }

    /// `s` broken into at most `maxLines` lines of at most `maxWidth`, the last one cut with "…" when the text
    /// does not fit. Japanese breaks between any two characters except before closing punctuation, small kana
    /// and 長音; Latin words break at spaces and separators. Empty when not even one character fits.
    static func wrapped(_ s: String, maxWidth: Double, fontSize: Double, maxLines: Int) -> [String] {
        var lines: [String] = []
        var rest = Substring(s)
        while !rest.isEmpty && lines.count < maxLines - 1 {
            if width(String(rest), fontSize: fontSize) <= maxWidth { break }
            var line = ""
            var used = 0.0
            for c in rest {
                let w = width(String(c), fontSize: fontSize)
                if used + w > maxWidth && !line.isEmpty {
                    // A closing mark may not start the next line, so the character before it goes down with it.
                    if closing.contains(c) && line.count > 1 { line.removeLast() }
                    break
                }
                line.append(c)
                used += w
            }
            // Latin words are not split: go back to the last space or separator when one is on the line.
            if let next = rest.dropFirst(line.count).first, let last = line.last, isWordCharacter(last), isWordCharacter(next),
               let cut = line.lastIndex(where: { $0 == " " || $0 == "・" || $0 == "/" || $0 == "-" }), cut > line.startIndex {
                line = String(line[...cut])
            }
            lines.append(line.trimmingTrailingSpaces)
            rest = rest.dropFirst(line.count).drop { $0 == " " }
        }
        if !rest.isEmpty {
            let last = fitted(String(rest), maxWidth: maxWidth, fontSize: fontSize)
            if last.isEmpty { return lines.isEmpty ? [] : lines } else { lines.append(last) }
        }
        return lines
    }

    private static func isWordCharacter(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

    /// Characters that may not begin a line (a short 行頭禁則 list: closing marks, 長音, small kana).
    private static let closing: Set<Character> = [
        "、", "。", "」", "』", "）", ")", "・", "ー", "ぁ", "ぃ", "ぅ", "ぇ", "ぉ", "っ", "ゃ", "ゅ", "ょ", "ッ", "ャ", "ュ", "ョ",
    ]

    /// At most `limit` characters of `s` on one line, with "…" when cut.
    static func excerpt(_ s: String, limit: Int) -> String {
        let flat = s.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }

    /// An HTML id made from a cluster id or source id: letters, digits, `-` and `_` pass; anything else becomes
    /// `_` and its hex code, so distinct ids stay distinct.
    static func anchor(_ prefix: String, _ id: String) -> String {
        var out = prefix + "-"
        for scalar in id.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-": out.unicodeScalars.append(scalar)
            default: out += "_" + String(scalar.value, radix: 16)
            }
        }
        return out
    }

    private static func isNarrow(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x2E80 || (0xFF61...0xFF9F).contains(scalar.value)
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
