import JapaneseText

/// One sentence of training data: its text, its person-name spans (Unicode scalar offsets, end exclusive) and
/// the article it comes from (sentences of one article share names, so folds split by article).
public struct NameTrainingSentence: Sendable {
    public var text: String
    public var persons: [Range<Int>]
    public var article: String

    public init(text: String, persons: [Range<Int>], article: String) {
        self.text = text
        self.persons = persons
        self.article = article
    }
}

/// Trains `NameModel`: logistic regression by averaged SGD over the candidates the rules leave, then a
/// threshold chosen on held-out articles of the training data.
///
/// Deterministic: sentences are read in order, features indexed in sorted order, and examples shuffled by a
/// seeded generator, so the same data and settings give the same bytes.
public struct NameModelTrainer {
    public var epochs = 10
    public var seed: UInt64 = 20_240_601
    /// A feature is kept only when it occurs in this many articles: rare context words (other names) never
    /// become weights.
    public var minArticles = 3
    public var learningRate: Float = 0.2
    /// Reject thresholds tried for the rules' names (0: keep them all).
    public var rejectGrid: [Float] = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
    /// Precision that lone words without cue must reach on held-out articles.
    public var alonePrecision = 0.75
    /// Folds (by article) used to choose the threshold.
    public var thresholdFolds = 3
    /// The threshold keeps precision of rules plus model at or above this on the held-out articles.
    public var targetPrecision = 0.81
    let mecab: MeCabModel

    public init(mecab: MeCabModel) {
        self.mecab = mecab
    }

    public struct Report: Sendable {
        public var sentences = 0, articles = 0, candidates = 0, positives = 0, negatives = 0, features = 0
        public var threshold: Float = 1
        public var rejectThreshold: Float = 0
        public var aloneThreshold: Float = 0
        /// Held-out estimate (threshold folds) of recall and precision of rules plus model.
        public var heldOutRecall = 0.0, heldOutPrecision = 0.0, rulesRecall = 0.0, rulesPrecision = 0.0
    }

    /// A sentence read for training: the rules' names and the model's candidates with labels
    /// (1 name, -1 not a name, 0 left out: a piece of a name too small to count).
    struct Extracted {
        var article: Int
        var persons: [Range<Int>]
        var rules: [Range<Int>]
        var ranges: [Range<Int>]
        var features: [[UInt64]]
        var labels: [Int8]
        var alone: [Bool]
        /// The rules' names as the model sees them (1 when the name overlaps a person, as precision counts).
        var ruleFeatures: [[UInt64]]
        var ruleLabels: [Int8]
    }

    public func train(_ sentences: [NameTrainingSentence]) throws -> (model: NameModel, report: Report) {
        let data = try extract(sentences)
        return fitWithThreshold(data)
    }

    func extract(_ sentences: [NameTrainingSentence]) throws -> [Extracted] {
        let tagger = try mecab.makeTagger()
        let detector = NameDetector()
        var articleIndex: [String: Int] = [:]
        var out: [Extracted] = []
        out.reserveCapacity(sentences.count)
        for s in sentences {
            let article = articleIndex[s.article] ?? articleIndex.count
            articleIndex[s.article] = article
            let t = ScannedText(s.text)
            let tk = TokenizedText(t, tagger: tagger)
            let (rules, raws) = detector.ruleNames(t, tk, tagger: tagger)
            let candidates = detector.modelCandidates(t, tk, tagger: tagger, raws: raws, taken: rules)
            let ruleSpans = detector.ruleSpanFeatures(t, tk, tagger: tagger, raws: raws, accepted: rules)
            out.append(Extracted(
                article: article, persons: s.persons, rules: rules, ranges: candidates.map(\.range), features: candidates.map(\.features),
                labels: candidates.map { Self.label($0.range, s.persons) }, alone: candidates.map(\.alone), ruleFeatures: ruleSpans.map(\.features),
                ruleLabels: rules.map { r in s.persons.contains { $0.overlaps(r) } ? 1 : -1 }))
        }
        return out
    }

    /// 1 when the span lies inside one name and covers more than half of it; 0 for a smaller piece; -1 otherwise
    /// (no overlap, or crossing a name's edge).
    static func label(_ r: Range<Int>, _ persons: [Range<Int>]) -> Int8 {
        for p in persons where p.overlaps(r) {
            guard r.lowerBound >= p.lowerBound && r.upperBound <= p.upperBound else { return -1 }
            return r.count * 2 > p.count ? 1 : 0
        }
        return -1
    }

    /// The final model on all sentences, its threshold from models trained without each threshold fold.
    func fitWithThreshold(_ data: [Extracted]) -> (NameModel, Report) {
        var report = Report()
        report.sentences = data.count
        report.articles = Set(data.map(\.article)).count
        for d in data {
            report.candidates += d.labels.count
            report.positives += d.labels.filter { $0 > 0 }.count
            report.negatives += d.labels.filter { $0 < 0 }.count
        }
        var heldOut: [[Float]] = data.map { [Float](repeating: 0, count: $0.labels.count) }
        var heldOutRules: [[Float]] = data.map { [Float](repeating: 1, count: $0.rules.count) }
        for fold in 0..<thresholdFolds {
            let train = data.indices.filter { data[$0].article % thresholdFolds != fold }
            let model = fit(data, train)
            for i in data.indices where data[i].article % thresholdFolds == fold {
                heldOut[i] = data[i].features.map { model.probability($0) }
                heldOutRules[i] = data[i].ruleFeatures.map { model.probability($0) }
            }
        }
        // Lone words without cue: the lowest probability above which such words are names at `alonePrecision`.
        var lone: [(p: Float, right: Bool)] = []
        for (d, ps) in zip(data, heldOut) {
            for n in d.ranges.indices where d.alone[n] && d.labels[n] != 0 { lone.append((ps[n], d.labels[n] > 0)) }
        }
        lone.sort { $0.p > $1.p }
        var aloneThreshold: Float = 2
        var right = 0
        for (n, c) in lone.enumerated() {
            right += c.right ? 1 : 0
            if n >= 9, Double(right) / Double(n + 1) >= alonePrecision, n + 1 == lone.count || lone[n + 1].p < c.p { aloneThreshold = c.p }
        }
        for (i, d) in data.enumerated() {
            for n in d.ranges.indices where d.alone[n] && heldOut[i][n] < aloneThreshold { heldOut[i][n] = -1 }
        }
        var choice = ThresholdChoice()
        for reject in rejectGrid {
            let c = Self.chooseThreshold(data, heldOut, heldOutRules, reject: reject, targetPrecision: targetPrecision)
            if reject == 0 || c.recall > choice.recall { choice = c }
        }
        var model = fit(data, Array(data.indices))
        model.threshold = choice.threshold
        model.rejectThreshold = choice.reject
        model.aloneThreshold = aloneThreshold
        report.aloneThreshold = aloneThreshold
        report.features = model.weights.count
        report.threshold = choice.threshold
        report.rejectThreshold = choice.reject
        report.heldOutRecall = choice.recall
        report.heldOutPrecision = choice.precision
        report.rulesRecall = choice.rulesRecall
        report.rulesPrecision = choice.rulesPrecision
        return (model, report)
    }

    /// Logistic regression by averaged SGD on the labelled candidates of `rows`, over features seen in at
    /// least `minArticles` of their articles.
    func fit(_ data: [Extracted], _ rows: [Int]) -> NameModel {
        // Vocabulary: features by the number of distinct articles they occur in.
        var lastArticle: [UInt64: Int] = [:]
        var articleCount: [UInt64: Int] = [:]
        for i in rows {
            for (features, label) in zip(data[i].features + data[i].ruleFeatures, data[i].labels + data[i].ruleLabels) where label != 0 {
                for f in features where lastArticle[f] != data[i].article {
                    lastArticle[f] = data[i].article
                    articleCount[f, default: 0] += 1
                }
            }
        }
        let kept = articleCount.filter { $0.value >= minArticles }.keys.sorted()
        var index: [UInt64: Int32] = [:]
        for (n, f) in kept.enumerated() { index[f] = Int32(n) }
        var examples: [(features: [Int32], y: Float)] = []
        for i in rows {
            for (features, label) in zip(data[i].features + data[i].ruleFeatures, data[i].labels + data[i].ruleLabels) where label != 0 {
                examples.append((Array(Set(features.compactMap { index[$0] })).sorted(), label > 0 ? 1 : 0))
            }
        }
        var w = [Float](repeating: 0, count: kept.count), u = w
        var b: Float = 0, ub: Float = 0
        var c: Float = 1
        var rng = SplitMix64(seed: seed)
        var order = Array(examples.indices)
        for epoch in 0..<epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            let rate = learningRate / (1 + Float(epoch))
            for e in order {
                let (features, y) = examples[e]
                var z = b
                for f in features { z += w[Int(f)] }
                let g = rate * (y - NameModel.sigmoid(z))
                for f in features {
                    w[Int(f)] += g
                    u[Int(f)] += c * g
                }
                b += g
                ub += c * g
                c += 1
            }
        }
        var weights: [UInt64: Float] = [:]
        for (n, f) in kept.enumerated() {
            let averaged = w[n] - u[n] / c
            if abs(averaged) >= 1e-4 { weights[f] = (averaged * 10000).rounded() / 10000 }
        }
        return NameModel(weights: weights, bias: ((b - ub / c) * 10000).rounded() / 10000, threshold: 0.5)
    }

    struct ThresholdChoice {
        var threshold: Float = 2
        var reject: Float = 0
        var recall = 0.0, precision = 0.0, rulesRecall = 0.0, rulesPrecision = 0.0
    }

    /// With the rules' names below `reject` dropped, the lowest threshold whose added names keep precision
    /// (rules plus model) at or above the target, on held-out probabilities, counted as `hiroba eval pii`
    /// counts: a name is found when detected spans cover more than half of it, a detection is right when it
    /// overlaps a name.
    static func chooseThreshold(
        _ data: [Extracted], _ probabilities: [[Float]], _ ruleProbabilities: [[Float]], reject: Float, targetPrecision: Double
    ) -> ThresholdChoice {
        var gold = 0, rulesFound = 0, rulesDetected = 0, rulesRight = 0
        var added: [(p: Float, right: Bool, gain: Int)] = []
        for (n, d) in data.enumerated() {
            let ps = probabilities[n]
            let rules = zip(d.rules, ruleProbabilities[n]).filter { $1 >= reject }.map(\.0)
            gold += d.persons.count
            rulesDetected += rules.count
            rulesRight += rules.filter { r in d.persons.contains { $0.overlaps(r) } }.count
            let ruleCover = d.persons.map { p in rules.reduce(0) { $0 + overlap($1, p) } }
            rulesFound += zip(d.persons, ruleCover).filter { $1 * 2 > $0.count }.count
            for r in NameDetector.decode(Array(zip(d.ranges, ps)), threshold: 0) {
                let p = ps[d.ranges.firstIndex(of: r)!]
                let gain = zip(d.persons, ruleCover).filter { $1 * 2 <= $0.count && ($1 + overlap(r, $0)) * 2 > $0.count }.count
                added.append((p, d.persons.contains { $0.overlaps(r) }, gain))
            }
        }
        added.sort { $0.p > $1.p }
        var choice = ThresholdChoice(reject: reject)
        choice.rulesRecall = Double(rulesFound) / Double(max(gold, 1))
        choice.rulesPrecision = Double(rulesRight) / Double(max(rulesDetected, 1))
        choice.recall = choice.rulesPrecision >= targetPrecision ? choice.rulesRecall : 0
        choice.precision = choice.rulesPrecision
        var right = 0, gains = 0
        for (n, a) in added.enumerated() {
            right += a.right ? 1 : 0
            gains += a.gain
            // Only where the next candidate scores lower (equal scores stand or fall together).
            guard n + 1 == added.count || added[n + 1].p < a.p else { continue }
            let precision = Double(rulesRight + right) / Double(rulesDetected + n + 1)
            let recall = Double(rulesFound + gains) / Double(max(gold, 1))
            if precision >= targetPrecision && recall > choice.recall {
                choice.threshold = a.p
                choice.recall = recall
                choice.precision = precision
            }
        }
        return choice
    }

    static func overlap(_ a: Range<Int>, _ b: Range<Int>) -> Int { max(0, min(a.upperBound, b.upperBound) - max(a.lowerBound, b.lowerBound)) }
}

/// A small seeded generator (SplitMix64) so training shuffles the same way on every machine.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return NameFeatures.finish(state &- 0x9E37_79B9_7F4A_7C15)
    }
}
