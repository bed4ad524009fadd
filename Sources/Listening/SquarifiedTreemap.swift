/// Squarified treemap layout (Bruls, Huizing and van Wijk, 2000): divides a rectangle into boxes whose areas
/// are proportional to the given values, keeping each box as close to square as the greedy row-by-row method
/// allows, so that labels fit and areas are easy to compare. Pure arithmetic, so the same values always give
/// the same boxes.
struct SquarifiedTreemap {
    struct Rect: Equatable {
        var x: Double
        var y: Double
        var width: Double
        var height: Double

        var area: Double { width * height }

        /// The rectangle shrunk by `inset` on every side (never below zero size).
        func inset(by inset: Double) -> Rect {
            Rect(x: x + inset, y: y + inset, width: max(0, width - 2 * inset), height: max(0, height - 2 * inset))
        }
    }

    /// Boxes for `values` inside `bounds`, one per value in the order given. Values are laid out largest first;
    /// zero, negative or non-finite values get an empty box at the corner of `bounds`.
    static func layout(_ values: [Double], in bounds: Rect) -> [Rect] {
        var boxes = Array(repeating: Rect(x: bounds.x, y: bounds.y, width: 0, height: 0), count: values.count)
        let order = values.indices.filter { values[$0].isFinite && values[$0] > 0 }
            .sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        let total = order.reduce(0) { $0 + values[$1] }
        guard total > 0, bounds.area > 0 else { return boxes }
        let scale = bounds.area / total
        var free = bounds
        var row: [Int] = []
        var next = 0
        while next < order.count {
            let candidate = order[next]
            let side = min(free.width, free.height)
            let areas = row.map { values[$0] * scale }
            if row.isEmpty || worst(areas + [values[candidate] * scale], side) <= worst(areas, side) {
                row.append(candidate)
                next += 1
            } else {
                free = place(row, values: values, scale: scale, in: free, into: &boxes)
                row = []
            }
        }
        if !row.isEmpty { _ = place(row, values: values, scale: scale, in: free, into: &boxes, last: true) }
        return boxes
    }

    /// The largest aspect ratio in a row of `areas` laid along a side of length `side`.
    private static func worst(_ areas: [Double], _ side: Double) -> Double {
        guard let largest = areas.max(), let smallest = areas.min(), side > 0 else { return .infinity }
        let sum = areas.reduce(0, +)
        let s2 = sum * sum
        let w2 = side * side
        return max(w2 * largest / s2, s2 / (w2 * smallest))
    }

    /// Lays `row` along the shorter side of `free` and returns the space left. The last row takes all of
    /// `free`, so rounding never leaves a sliver uncovered.
    private static func place(
        _ row: [Int], values: [Double], scale: Double, in free: Rect, into boxes: inout [Rect], last: Bool = false
    ) -> Rect {
        let sum = row.reduce(0) { $0 + values[$1] * scale }
        if free.width >= free.height {
            // A column at the left edge.
            let width = last ? free.width : min(free.width, sum / free.height)
            var y = free.y
            for (i, item) in row.enumerated() {
                let height = i == row.count - 1 ? free.y + free.height - y : values[item] * scale / width
                boxes[item] = Rect(x: free.x, y: y, width: width, height: height)
                y += height
            }
            return Rect(x: free.x + width, y: free.y, width: free.width - width, height: free.height)
        } else {
            // A row along the top edge.
            let height = last ? free.height : min(free.height, sum / free.width)
            var x = free.x
            for (i, item) in row.enumerated() {
                let width = i == row.count - 1 ? free.x + free.width - x : values[item] * scale / height
                boxes[item] = Rect(x: x, y: free.y, width: width, height: height)
                x += width
            }
            return Rect(x: free.x, y: free.y + height, width: free.width, height: free.height - height)
        }
    }
}
