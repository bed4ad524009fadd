import Foundation

/// Colours and marks of the coarse clusters in the report. Twelve hues, each at least 3:1 against white (WCAG
/// 1.4.11 for graphics) and ordered so that the first six, which most runs need, are the easiest to tell apart.
/// Beyond twelve the hues repeat and the map mark changes instead (points become squares, then crosses), so two
/// clusters never look the same on the map while there are fewer than 36. The treemap, tree and tables name every
/// cluster in text, so there colour is only a cue and repeats plainly.
enum ReportPalette {
    /// The way a cluster's map points (and its legend swatch) are drawn.
    enum Mark: Int { case dot, square, cross }

    static let hues = [
        "#1f5fa8",  // blue
        "#b35900",  // orange
        "#1e7b3a",  // green
        "#c0392b",  // red
        "#6a3d9a",  // purple
        "#0f7c80",  // teal
        "#a61e6e",  // magenta
        "#7a5c00",  // ochre
        "#4a5a6a",  // slate
        "#2f8fd6",  // sky
        "#8c3b1b",  // rust
        "#5b7f12",  // olive
    ]
    /// Opinions whose cluster is unknown (should not happen in a finished run, but the report must not fail).
    static let unclustered = "#6b6b6b"

    /// The colour of the coarse cluster at `index` (its rank on the coarse level); `nil` means unclustered.
    static func color(_ index: Int?) -> String {
        guard let index else { return unclustered }
        return hues[index % hues.count]
    }

    static func mark(_ index: Int?) -> Mark {
        guard let index else { return .dot }
        return Mark(rawValue: (index / hues.count) % 3) ?? .dot
    }

    /// `hex` mixed with white: 0 is the colour itself, 1 is white. Fine clusters use tints of their parent.
    static func tint(_ hex: String, _ amount: Double) -> String {
        let (r, g, b) = rgb(hex)
        func mix(_ c: Double) -> Int { Int((c + (255 - c) * amount).rounded()) }
        return "#" + [mix(r), mix(g), mix(b)].map { v in
            let s = String(v, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    /// Black or white, whichever contrasts more with `hex`. For any background the better of the two reaches
    /// about 4.6:1, so labels drawn on cluster colours meet WCAG AA for normal text.
    static func ink(on hex: String) -> String {
        let l = luminance(hex)
        return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? "#ffffff" : "#000000"
    }

    /// WCAG relative luminance of a `#rrggbb` colour.
    static func luminance(_ hex: String) -> Double {
        let (r, g, b) = rgb(hex)
        func channel(_ c: Double) -> Double {
            let s = c / 255
            return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    private static func rgb(_ hex: String) -> (Double, Double, Double) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        let value = Int(digits, radix: 16) ?? 0
        return (Double((value >> 16) & 0xFF), Double((value >> 8) & 0xFF), Double(value & 0xFF))
    }
}
