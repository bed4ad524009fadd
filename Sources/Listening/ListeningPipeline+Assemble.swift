import Foundation

extension ListeningPipeline {
    /// Builds the result: clusters with keywords, central quotes and map positions; opinions; comments with
    /// their duplicate groups; levels; the offline overview. Labels and summaries here are the offline ones
    /// (keywords and central opinions); a model may replace them afterwards.
    func assemble(
        masked: [InputComment], groups: [DuplicateGroup], groupOf: [Int?], extraction: OpinionExtraction,
        documents: [[Int32]], extractor: TermExtractor, representation r: Representation, clustering: Clustering
    ) -> ListeningResult {
        let n = r.rows
        let d = r.dimensions
        let layout = MapLayout(
            x: r.vectors, n: n, d: d, assignment: clustering.fine, centroids: clustering.centroids,
            k: clustering.fineMembers.count, parents: clustering.parent)
        let fineIDs = clustering.parent.indices.map { f -> String in
            let c = clustering.parent[f]
            return "\(c + 1)-\((clustering.children[c].firstIndex(of: f) ?? 0) + 1)"
        }
        let coarseMembers = clustering.children.map { $0.flatMap { clustering.fineMembers[$0] }.sorted() }
        let keywordsFine = ClusterKeywords(
            documents: documents, groups: clustering.fineMembers, vocabulary: extractor.vocabularySize,
            displayable: extractor.isDisplayable, text: extractor.text)
        let keywordsCoarse = ClusterKeywords(
            documents: documents, groups: coarseMembers, vocabulary: extractor.vocabularySize,
            displayable: extractor.isDisplayable, text: extractor.text)
        let groupSize = groups.map(\.count)
        let commentOf = extraction.opinions.map(\.comment)

        func makeCluster(
            id: String, level: Int, parent: String?, children: [String], members: [Int], keywords: [Int32], x: Double,
            y: Double
        ) -> ListeningCluster {
            var sum = [Float](repeating: 0, count: d)
            for i in members { for j in 0..<d { sum[j] += r.vectors[i * d + j] } }
            let centre = Self.normalised(sum)
            let quotes = Self.central(members, vectors: r.vectors, d: d, centre: centre, texts: extraction.opinions.map(\.text))
            let words = keywords.map { extractor.text($0) }
            let comments = Set(members.map { commentOf[$0] })
            let weighted = comments.reduce(0) { $0 + (groupOf[$1].map { groupSize[$0] } ?? 1) }
            let label = words.isEmpty ? "その他の意見" : Self.labelWords(words).joined(separator: "・")
            let lead = quotes.first.map { "「\(Self.clip(extraction.opinions[$0].text, 80))」" } ?? ""
            let summary = "\(lead)など、\(words.prefix(5).joined(separator: "、"))に関する意見 \(members.count) 件。"
            return ListeningCluster(
                id: id, level: level, parent: parent, children: children, label: label, summary: summary,
                keywords: words, opinionCount: members.count, commentCount: comments.count, weightedCount: weighted,
                share: (Double(members.count) / Double(max(1, n)) * 10_000).rounded() / 10_000,
                representativeOpinions: quotes, x: x, y: y)
        }

        var clusters: [ListeningCluster] = []
        for (c, fines) in clustering.children.enumerated() {
            let members = coarseMembers[c]
            let sizes = fines.map { Double(clustering.fineMembers[$0].count) }
            let total = max(1, sizes.reduce(0, +))
            let x = zip(fines, sizes).reduce(0.0) { $0 + layout.centres[$1.0].0 * $1.1 } / total
            let y = zip(fines, sizes).reduce(0.0) { $0 + layout.centres[$1.0].1 * $1.1 } / total
            clusters.append(
                makeCluster(
                    id: "\(c + 1)", level: 0, parent: nil, children: fines.map { fineIDs[$0] }, members: members,
                    keywords: keywordsCoarse.keywords[c], x: MapLayout.round(x), y: MapLayout.round(y)))
        }
        for f in clustering.fineMembers.indices {
            clusters.append(
                makeCluster(
                    id: fineIDs[f], level: 1, parent: "\(clustering.parent[f] + 1)", children: [],
                    members: clustering.fineMembers[f], keywords: keywordsFine.keywords[f], x: layout.centres[f].0,
                    y: layout.centres[f].1))
        }
        let opinions = extraction.opinions.enumerated().map { i, o in
            ListeningOpinion(
                id: i, comment: o.comment, text: o.text,
                clusters: ["\(clustering.parent[clustering.fine[i]] + 1)", fineIDs[clustering.fine[i]]],
                x: layout.points[i].0, y: layout.points[i].1)
        }
        var opinionsOf = [[Int]](repeating: [], count: masked.count)
        for o in opinions { opinionsOf[o.comment].append(o.id) }
        let comments = masked.enumerated().map { i, c in
            ListeningComment(
                id: i, sourceID: c.sourceID, row: c.row, text: c.text, attributes: c.attributes, duplicateGroup: groupOf[i],
                opinions: opinionsOf[i])
        }
        let levels = [
            ListeningLevel(level: 0, clusterIDs: clustering.children.indices.map { "\($0 + 1)" }),
            ListeningLevel(level: 1, clusterIDs: fineIDs),
        ]
        let coarse = clusters.filter { $0.level == 0 }
        let top = coarse.prefix(3).map { "「\($0.label)」(\($0.opinionCount) 件)" }.joined(separator: "、")
        let overview =
            "\(masked.count) 件のコメント (重複をまとめて \(Set(commentOf).count) 件) から \(n) 件の意見を取り出し、"
            + "\(coarse.count) の大分類と \(fineIDs.count) の小分類に整理しました。多い順に \(top) です。"
        return ListeningResult(
            title: "", parameters: ListeningParameters(
                seed: 0, commentColumn: "", attributeColumns: [], requestedClusters: [], representation: r.name,
                dimensions: d, extraction: extraction.method, labelling: "keywords", model: nil, promptHashes: [:],
                inputSHA256: "", language: "", personalDataMasked: false),
            counts: ListeningCounts(), overview: overview, levels: levels, clusters: clusters, opinions: opinions,
            comments: comments, duplicates: groups.sorted { ($0.count, -$0.id) > ($1.count, -$1.id) },
            attributes: [], failures: extraction.failures)
    }

    /// Up to five member opinions most similar to the centre, distinct texts only.
    static func central(_ members: [Int], vectors: [Float], d: Int, centre: [Float], texts: [String]) -> [Int] {
        let scored = members.map { i -> (Int, Float) in
            var s: Float = 0
            for j in 0..<d { s += vectors[i * d + j] * centre[j] }
            return (i, s)
        }
        var seen = Set<String>()
        var out: [Int] = []
        for (i, _) in scored.sorted(by: { ($0.1, -$0.0) > ($1.1, -$1.0) }) where seen.insert(texts[i]).inserted {
            out.append(i)
            if out.count == 5 { break }
        }
        return out
    }

    static func clip(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    /// Up to three keywords for a label, nouns first: 「保育園・待機・学童」 names a theme, 「増やす・困る」 does not.
    /// A word ending in hiragana (the okurigana of a verb or adjective: 増やす, 多い) yields to noun-like ones
    /// (kanji, katakana, Latin or Chinese words), keeping the keyword order; verbs fill in when nouns run out.
    static func labelWords(_ words: [String]) -> [String] {
        func hiraganaEnding(_ w: String) -> Bool {
            guard let last = w.unicodeScalars.last else { return false }
            return (0x3041...0x309F).contains(last.value)
        }
        let nouns = words.filter { !hiraganaEnding($0) }
        let others = words.filter(hiraganaEnding)
        return Array((nouns.prefix(3) + others).prefix(3))
    }
}
