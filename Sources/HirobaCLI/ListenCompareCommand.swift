import ArgumentParser
import Foundation
import Listening

/// `hiroba listen compare A.csv B.csv --out DIR`: both consultations clustered together on one taxonomy;
/// the report says which clusters grew, shrank, appeared or vanished.
struct ListenCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "二つの意見募集 (または二つの期間) を同じ分類で比較します (compare two consultations).")

    @Argument(help: "The earlier (or first) comment file.") var first: String
    @Argument(help: "The later (or second) comment file.") var second: String
    @Option(help: "Names of the two, comma-separated (default: the file names).") var names: String?
    @OptionGroup var listen: ListenOptions
    @OptionGroup var models: ModelOptions

    func run() throws {
        let labels =
            names.map { $0.split(separator: ",").map { String($0).trimmingWhitespace() } }
            ?? [first, second].map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
        guard labels.count == 2, Set(labels).count == 2, !labels.contains("") else {
            throw ValidationError("--names must be two different names, e.g. --names 2025年度,2026年度")
        }
        let options = try listen.options(title: "比較: \(labels[0]) → \(labels[1])")
        var selections: [CommentSelection] = []
        var hashes: [String] = []
        for path in [first, second] {
            let data = try readInput(path)
            hashes.append(ListeningCache.sha256(data))
            let table = try CommentTable.read(data: data, path: path)
            selections.append(
                try table.select(commentColumn: options.commentColumn, attributeColumns: options.attributeColumns))
        }
        let attribute = "調査"
        var comments: [InputComment] = []
        for (side, selection) in selections.enumerated() {
            for var comment in selection.comments {
                comment.attributes[attribute] = labels[side]
                comment.sourceID = "\(labels[side]):\(comment.sourceID)"
                comments.append(comment)
            }
        }
        // Attribute columns both files share, plus the consultation itself.
        let shared = selections[0].attributeColumns.filter { selections[1].attributeColumns.contains($0) }
        let counts = ListeningCounts(
            rows: selections.map(\.rows).reduce(0, +), droppedEmpty: selections.map(\.droppedEmpty).reduce(0, +),
            droppedModerated: selections.map(\.droppedModerated).reduce(0, +))
        let (pipeline, session) = try listen.pipeline(models: models)
        defer { session?.shutdown() }
        let start = Date()
        let column = selections[0].commentColumn
        let input = comments
        let inputHash = ListeningCache.key(hashes)
        var result = try runBlocking {
            var c = counts
            return try await pipeline.analyze(
                input, commentColumn: column, attributeColumns: [attribute] + shared, inputSHA256: inputHash, counts: &c,
                options: options)
        }
        result.comparison = ListeningComparison(result: result, attribute: attribute, names: labels)
        try listen.write(result, seconds: Date().timeIntervalSince(start))
    }
}
