import Foundation

/// One generated comment with its respondent attributes.
public struct GeneratedComment: Sendable, Equatable {
    public var id: String  // "c000001" style
    public var text: String
    public var attributes: [String: String]  // keys: "年代", "地域", "性別" ; values like "30代", "北区", "女性"
    public var topic: String  // the true topic key used to generate it (for sanity checks); "" for blank rows

    public init(id: String, text: String, attributes: [String: String], topic: String) {
        self.id = id
        self.text = text
        self.attributes = attributes
        self.topic = topic
    }
}

/// A deterministic generator of Japanese citizen comments (パブリックコメント / 市民の声) from the fictional
/// みなと市, for benchmarking the broad-listening pipeline.
///
/// Every row is drawn from its own random stream derived from (seed, row index), so `generate(count: n, seed: s)`
/// is a prefix of `generate(count: m, seed: s)` for n < m, and the output never depends on the platform's
/// random number generator. Per seed, the topic mix (skewed: a few popular topics and a long tail) and the
/// organised campaigns are fixed; per row, the comment is a normal opinion (~96%), a copy or near copy of a
/// campaign text (~3%) or a blank / contentless row (~1%). About 1% of the normal rows carry fictional
/// personal data (a name, a 090-0000-xxxx number, an address) for the masking step.
public enum CommentCorpus {
    /// `count` comments, identical for identical (count, seed). Includes ~3% organised-campaign duplicates
    /// (exact copies and near copies with small edits such as added 「。」, changed 文末, a greeting added) so that
    /// de-duplication has something real to find, and ~1% empty/whitespace-only or very short ("特になし") rows.
    public static func generate(count: Int, seed: UInt64) -> [GeneratedComment] {
        guard count > 0 else { return [] }
        let plan = CorpusPlan(seed: seed, tables: CorpusTables.shared)
        var comments: [GeneratedComment] = []
        comments.reserveCapacity(count)
        for index in 0..<count { comments.append(plan.comment(at: index)) }
        return comments
    }

    /// Writes the comments as a UTF-8 CSV with header `id,年代,地域,性別,意見` (RFC 4180 quoting) to `url`.
    /// Records end in CRLF; a field is quoted when it holds a comma, a double quote, a line break or starts or
    /// ends with white space.
    public static func writeCSV(_ comments: [GeneratedComment], to url: URL) throws {
        var out = "id,年代,地域,性別,意見\r\n"
        out.reserveCapacity(64 + comments.count * 320)
        for c in comments {
            appendCSVField(c.id, to: &out)
            out += ","
            appendCSVField(c.attributes["年代"] ?? "", to: &out)
            out += ","
            appendCSVField(c.attributes["地域"] ?? "", to: &out)
            out += ","
            appendCSVField(c.attributes["性別"] ?? "", to: &out)
            out += ","
            appendCSVField(c.text, to: &out)
            out += "\r\n"
        }
        try Data(out.utf8).write(to: url, options: .atomic)
    }

    static func appendCSVField(_ field: String, to out: inout String) {
        let utf8 = field.utf8
        let needsQuotes =
            utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            || field.first.map(\.isWhitespace) == true || field.last.map(\.isWhitespace) == true
        guard needsQuotes else {
            out += field
            return
        }
        out += "\""
        for ch in field.unicodeScalars {
            if ch == "\"" { out += "\"\"" } else { out.unicodeScalars.append(ch) }
        }
        out += "\""
    }

    /// The plain (だ・である) form of a polite context clause: 住んでいます → 住んでいる, 二人暮らしです → 二人暮らしだ.
    static func plainForm(_ polite: String) -> String {
        let rules = [
            ("ていました", "ていた"), ("てきました", "てきた"), ("しました", "した"), ("います", "いる"), ("ります", "る"),
            ("ません", "ない"), ("いです", "い"), ("です", "だ"),
        ]
        for (suffix, replacement) in rules where polite.hasSuffix(suffix) {
            return String(polite.dropLast(suffix.count)) + replacement
        }
        preconditionFailure("context clause with an ending plainForm does not know: \(polite)")
    }

    static func identifier(_ number: Int) -> String {
        let digits = String(number)
        return "c" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}

// MARK: - random numbers

/// SplitMix64: tiny, fast and the same on every platform and Swift version.
struct CorpusRandom {
    private(set) var state: UInt64

    init(seed: UInt64) { state = seed }

    /// An independent stream for one row of one corpus.
    init(seed: UInt64, stream: UInt64) {
        var mixer = CorpusRandom(seed: seed ^ 0x6A09_E667_F3BC_C909)
        state = mixer.next() &+ stream &* 0xD1B5_4A32_D192_ED03
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n (n > 0), by the multiply-high method.
    mutating func below(_ n: Int) -> Int { Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high) }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    /// An index drawn from a cumulative distribution whose last entry is 1.
    mutating func pick(cumulative: [Double]) -> Int {
        let u = unit()
        for (i, c) in cumulative.enumerated() where u < c { return i }
        return cumulative.count - 1
    }
}

// MARK: - compiled tables

/// A placeholder in a template or phrase.
enum CorpusSlot: String, Sendable {
    case subject = "S", problem = "P", presentProblem = "Pn", problem2 = "P2", request = "R", praise = "G", question = "Q", adverb = "adv", lead
    case town, minutes = "min", hour, count = "n", years = "yr", elderAge = "old", childAge = "child", grade
}

enum CorpusPart: Sendable {
    case text(String)
    case slot(CorpusSlot)
}

typealias CorpusFragment = [CorpusPart]

enum CorpusStyle: Int { case polite, plain, casual }
enum CorpusIntent: Int, CaseIterable { case complaint, problemRequest, request, praise, question }

/// A clause about the respondent, limited to the age bands and gender it fits.
struct CorpusContext: Sendable {
    let ages: ClosedRange<Int>
    let femaleOnly: Bool
    let forms: [CorpusFragment]  // [style] — polite, plain, plain again for casual

    /// "[lo-hi f]clause": the optional prefix limits the clause to age bands lo…hi (or one band) and to 女性.
    init(_ source: String) {
        var clause = Substring(source)
        var ages = 0...7
        var femaleOnly = false
        if clause.first == "[", let close = clause.firstIndex(of: "]") {
            var spec = clause[clause.index(after: clause.startIndex)..<close]
            if spec.last == "f" {
                femaleOnly = true
                spec = spec.dropLast()
            }
            let bounds = spec.split(separator: "-").compactMap { Int($0) }
            precondition(!bounds.isEmpty && bounds.count <= 2, "bad context prefix: \(source)")
            ages = bounds[0]...(bounds.last!)
            clause = clause[clause.index(after: close)...]
        }
        let plain = CorpusTables.parse(CommentCorpus.plainForm(String(clause)))
        self.ages = ages
        self.femaleOnly = femaleOnly
        forms = [CorpusTables.parse(String(clause)), plain, plain]
    }

    func fits(age: Int, gender: Int) -> Bool { ages.contains(age) && (!femaleOnly || gender == 1) }
}

struct CorpusTopic: Sendable {
    let key: String
    let subjects, problems, requests, praises, questions: [CorpusFragment]
    let contexts: [CorpusContext]
    /// Problems that are a state rather than a past event (not ending in 「た」): 「…のが現状です」 fits them.
    let presentProblems: [Int]
    let local: Bool
    let ageCDF, wardCDF, genderCDF: [Double]
}

/// All phrase tables parsed once into fragments.
struct CorpusTables: Sendable {
    static let shared = CorpusTables()

    let topics: [CorpusTopic]
    let templates: [[[CorpusFragment]]]  // [style][intent]
    let shortTemplates: [[CorpusFragment]]  // [style]
    let genericContexts: [CorpusContext]
    let campaignBodies: [CorpusFragment]
    let campaignGreetings, campaignSignoffs: [CorpusFragment]
    let localLeads: [CorpusFragment]

    init() {
        func cumulative(_ weights: [Double]) -> [Double] {
            let total = weights.reduce(0, +)
            var running = 0.0
            return weights.map { running += $0 / total; return running }
        }
        topics = CommentCorpus.topicSources.map { s in
            precondition(s.ages.count == 8 && s.wards.count == 5, "bad attribute profile for \(s.key)")
            let female = CommentCorpus.baseGenders[1] * s.female
            return CorpusTopic(
                key: s.key, subjects: s.subjects.map(Self.parse), problems: s.problems.map(Self.parse),
                requests: s.requests.map(Self.parse), praises: s.praises.map(Self.parse), questions: s.questions.map(Self.parse),
                contexts: s.contexts.map(CorpusContext.init),
                presentProblems: s.problems.indices.filter { !s.problems[$0].hasSuffix("た") }, local: s.local,
                ageCDF: cumulative(zip(CommentCorpus.baseAges, s.ages).map(*)),
                wardCDF: cumulative(zip(CommentCorpus.baseWards, s.wards).map(*)),
                genderCDF: cumulative([CommentCorpus.baseGenders[0], female, CommentCorpus.baseGenders[2]]))
        }
        templates = CommentCorpus.templateSources.map { $0.map { $0.map(Self.parse) } }
        shortTemplates = CommentCorpus.shortTemplateSources.map { $0.map(Self.parse) }
        genericContexts = CommentCorpus.genericContexts.map(CorpusContext.init)
        campaignBodies = CommentCorpus.campaignSources.map { Self.parse($0.1) }
        campaignGreetings = CommentCorpus.campaignGreetings.map(Self.parse)
        campaignSignoffs = CommentCorpus.campaignSignoffs.map(Self.parse)
        localLeads = CommentCorpus.localLeads.map(Self.parse)
    }

    /// "…{town}の交差点…" → [.text("…"), .slot(.town), .text("の交差点…")].
    static func parse(_ source: String) -> CorpusFragment {
        var parts: CorpusFragment = []
        var rest = Substring(source)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { parts.append(.text(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}"), let slot = CorpusSlot(rawValue: String(rest[rest.index(after: open)..<close]))
            else { preconditionFailure("bad slot in phrase: \(source)") }
            parts.append(.slot(slot))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        return parts
    }
}

// MARK: - one corpus

/// What is fixed for a seed: the topic mix and the campaigns.
struct CorpusPlan {
    struct Campaign {
        let topic: Int
        let ward: Int
        let body: String
        let endings: [String]
    }

    let seed: UInt64
    let tables: CorpusTables
    let topicCDF: [Double]
    let campaigns: [Campaign]
    let campaignCDF: [Double]

    static let intentCDF = [0.30, 0.62, 0.78, 0.88, 1.0]  // complaint, problem+request, request, praise, question
    static let campaignWeights = [0.32, 0.2, 0.14, 0.1, 0.08, 0.07, 0.05, 0.04]

    init(seed: UInt64, tables: CorpusTables) {
        self.seed = seed
        self.tables = tables
        var rng = CorpusRandom(seed: seed, stream: .max)
        // Popularity: the base order of the tables, jittered by the seed, then a Zipf-like fall-off.
        let order = tables.topics.indices.map { ($0, Double($0) + rng.unit() * 6) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        var weights = [Double](repeating: 0, count: tables.topics.count)
        for (rank, topic) in order.enumerated() { weights[topic.0] = 1 / pow(Double(rank + 1), 0.85) }
        topicCDF = Self.cumulative(weights)
        // Campaigns: each gets a ward and a town; their popularity is shuffled per seed.
        var built: [Campaign] = []
        for (i, source) in CommentCorpus.campaignSources.enumerated() {
            guard let topic = tables.topics.firstIndex(where: { $0.key == source.0 }) else {
                preconditionFailure("campaign topic \(source.0) is not a topic")
            }
            let ward = rng.below(CommentCorpus.wardLabels.count)
            var composer = CorpusComposer(rng: CorpusRandom(seed: rng.next()), tables: tables, ward: ward, age: 0, gender: 0)
            composer.fixedTown = composer.rng.pick(CommentCorpus.towns[ward])
            composer.append(tables.campaignBodies[i], tables.topics[topic])
            built.append(Campaign(topic: topic, ward: ward, body: composer.text, endings: source.2))
        }
        campaigns = built
        var shuffled = Self.campaignWeights
        for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, rng.below(i + 1)) }
        campaignCDF = Self.cumulative(Array(shuffled.prefix(built.count)))
    }

    static func cumulative(_ weights: [Double]) -> [Double] {
        let total = weights.reduce(0, +)
        var running = 0.0
        return weights.map { running += $0 / total; return running }
    }

    func comment(at index: Int) -> GeneratedComment {
        var rng = CorpusRandom(seed: seed, stream: UInt64(index))
        let id = CommentCorpus.identifier(index + 1)
        let roll = rng.unit()
        if roll < 0.01 {  // blank or contentless
            let topic = tables.topics[rng.pick(cumulative: topicCDF)]
            let attributes = Self.attributes(topic, ward: nil, &rng)
            return GeneratedComment(id: id, text: rng.pick(CommentCorpus.blankRows), attributes: attributes.labels, topic: "")
        }
        if roll < 0.04 {  // organised campaign
            let campaign = campaigns[rng.pick(cumulative: campaignCDF)]
            let topic = tables.topics[campaign.topic]
            let attributes = Self.attributes(topic, ward: rng.chance(0.7) ? campaign.ward : nil, &rng)
            var composer = CorpusComposer(rng: rng, tables: tables, ward: attributes.ward, age: attributes.age, gender: attributes.gender)
            composer.copy(campaign, topic)
            return GeneratedComment(id: id, text: composer.text, attributes: attributes.labels, topic: topic.key)
        }
        let main = rng.pick(cumulative: topicCDF)
        let topic = tables.topics[main]
        let attributes = Self.attributes(topic, ward: nil, &rng)
        let styleCDF = attributes.age < 2 ? [0.40, 0.52, 1.0] : attributes.age < 5 ? [0.65, 0.85, 1.0] : [0.72, 0.95, 1.0]
        let style = CorpusStyle(rawValue: rng.pick(cumulative: styleCDF))!
        var composer = CorpusComposer(rng: rng, tables: tables, ward: attributes.ward, age: attributes.age, gender: attributes.gender)
        composer.fullWidthDigits = composer.rng.chance(0.12)
        composer.opinion(main: main, style: style, topicCDF: topicCDF)
        if composer.rng.chance(0.01) { composer.addPersonalData() }
        return GeneratedComment(id: id, text: composer.text, attributes: attributes.labels, topic: topic.key)
    }

    static func attributes(_ topic: CorpusTopic, ward fixedWard: Int?, _ rng: inout CorpusRandom)
        -> (age: Int, ward: Int, gender: Int, labels: [String: String])
    {
        let age = rng.pick(cumulative: topic.ageCDF)
        let drawnWard = rng.pick(cumulative: topic.wardCDF)
        let ward = fixedWard ?? drawnWard
        let gender = rng.pick(cumulative: topic.genderCDF)
        let labels = ["年代": CommentCorpus.ageLabels[age], "地域": CommentCorpus.wardLabels[ward], "性別": CommentCorpus.genderLabels[gender]]
        return (age, ward, gender, labels)
    }
}

// MARK: - writing one comment

struct CorpusComposer {
    var rng: CorpusRandom
    let tables: CorpusTables
    let ward: Int
    let age: Int
    let gender: Int
    var fixedTown: String?
    var fullWidthDigits = false
    var text = ""
    private var lastProblem = -1
    /// Phrases and templates already used in this comment, one bit mask per kind, so nothing is said twice.
    private var used = [UInt64](repeating: 0, count: 5 + CorpusIntent.allCases.count)

    init(rng: CorpusRandom, tables: CorpusTables, ward: Int, age: Int, gender: Int) {
        self.rng = rng
        self.tables = tables
        self.ward = ward
        self.age = age
        self.gender = gender
        text.reserveCapacity(320)
    }

    /// A citizen's opinion: a one-liner (~9%), a few sentences (~84%) or a long letter (~7%), sometimes with an
    /// opener, personal context, a second topic, a follow-up and a closing, typed with the writer's own habits.
    mutating func opinion(main: Int, style: CorpusStyle, topicCDF: [Double]) {
        let s = style.rawValue
        var topic = tables.topics[main]
        let roll = rng.unit()
        if roll < 0.09 {
            append(rng.pick(tables.shortTemplates[s]), topic)
            return
        }
        let long = roll > 0.93
        let sentences = long ? 3 + rng.below(3) : 1 + (rng.chance(0.55) ? 1 : 0) + (rng.chance(0.2) ? 1 : 0)
        let single = sentences == 1  // bare one-sentence comments are the ones that collide: decorate them more
        if style == .polite, rng.chance(long ? 0.3 : 0.06) { text += rng.pick(CommentCorpus.openers) }
        if rng.chance(long ? 0.8 : single ? 0.4 : 0.3) { appendContext(topic, style) }
        let framed = rng.chance(single ? 0.3 : 0.2)
        var intent = CorpusIntent(rawValue: rng.pick(cumulative: CorpusPlan.intentCDF))!
        var shifted = false
        for k in 0..<sentences {
            if k > 0 {
                if long, rng.chance(0.25) { text += "\n" }
                if !shifted, rng.chance(long ? 0.3 : 0.15) {
                    shifted = true
                    var other = rng.pick(cumulative: topicCDF)
                    if other == main { other = (other + 1 + rng.below(tables.topics.count - 1)) % tables.topics.count }
                    topic = tables.topics[other]
                    text += rng.pick(CommentCorpus.topicShifts[s])
                    intent = rng.chance(0.5) ? .problemRequest : rng.chance(0.5) ? .complaint : .request
                    lastProblem = -1
                    for kind in 0..<5 { used[kind] = 0 }
                } else {
                    intent = next(after: intent)
                    if rng.chance(0.4) { text += rng.pick(CommentCorpus.connectors[s]) }
                }
            }
            let templates = tables.templates[s][intent.rawValue]
            let template = templates[draw(templates.count, kind: 5 + intent.rawValue)]
            // A frame (「個人的には、」) only in front of a template that does not open with its own words.
            if k == 0, framed, case .slot = template[0] { text += rng.pick(CommentCorpus.frames[s]) }
            append(template, topic)
            if text.unicodeScalars.count > 230 { break }
        }
        if intent != .praise, rng.chance(long ? 0.4 : single ? 0.35 : 0.2) { text += rng.pick(CommentCorpus.emphases[s]) }
        if rng.chance(long ? 0.5 : 0.1) { text += rng.pick(CommentCorpus.closings[s]) }
        applyHabits(style)
    }

    /// Who is writing, if a clause fits the respondent's age and gender (a few draws, else nothing).
    mutating func appendContext(_ topic: CorpusTopic, _ style: CorpusStyle) {
        for _ in 0..<3 {
            let context = rng.pick(rng.chance(0.6) ? topic.contexts : tables.genericContexts)
            guard context.fits(age: age, gender: gender) else { continue }
            append(context.forms[style.rawValue], topic)
            text += "。"
            return
        }
    }

    /// Typing habits: a line break after each sentence, half-width ！？, a missing final 「。」.
    mutating func applyHabits(_ style: CorpusStyle) {
        let u = rng.unit()
        if u < 0.05, text.unicodeScalars.count > 60 {
            text = text.replacingOccurrences(of: "。", with: "。\n")
            if text.hasSuffix("\n") { text.removeLast() }
        } else if u < 0.09, style == .casual {
            text = text.replacingOccurrences(of: "！", with: "!").replacingOccurrences(of: "？", with: "?")
        } else if u < (style == .casual ? 0.30 : 0.12), text.hasSuffix("。") {
            text.removeLast()
        }
    }

    mutating func next(after intent: CorpusIntent) -> CorpusIntent {
        let u = rng.unit()
        switch intent {
        case .complaint: return u < 0.6 ? .request : u < 0.75 ? .problemRequest : .question
        case .problemRequest: return u < 0.5 ? .complaint : u < 0.8 ? .question : .request
        case .request: return u < 0.5 ? .complaint : u < 0.8 ? .request : .question
        case .praise: return u < 0.5 ? .request : u < 0.8 ? .complaint : .praise
        case .question: return u < 0.5 ? .request : .complaint
        }
    }

    /// An exact copy of a campaign text (~45%) or a near copy with one or two small edits.
    mutating func copy(_ campaign: CorpusPlan.Campaign, _ topic: CorpusTopic) {
        var body = campaign.body
        var ending = campaign.endings[0]
        var greeting: CorpusFragment?
        var signoff: CorpusFragment?
        var togglePeriod = false, exclaim = false
        var spacing = 0
        if !rng.chance(0.45) {
            for _ in 0..<(rng.chance(0.25) ? 2 : 1) {
                switch rng.below(6) {
                case 0: ending = campaign.endings[1 + rng.below(campaign.endings.count - 1)]
                case 1: togglePeriod = true
                case 2: greeting = rng.pick(tables.campaignGreetings)
                case 3: signoff = rng.pick(tables.campaignSignoffs)
                case 4: spacing = 1 + rng.below(3)
                default: exclaim = true
                }
            }
        }
        if let greeting { append(greeting, topic) }
        if spacing == 1, let stop = body.firstIndex(of: "。") { body.insert("\n", at: body.index(after: stop)) }
        text += body
        text += exclaim ? ending.dropLast() + "！" : ending
        if let signoff {
            if spacing == 2 { text += "\n" }
            append(signoff, topic)
        }
        if togglePeriod {
            if text.hasSuffix("。") { text.removeLast() } else if !text.hasSuffix("！") { text += "。" }
        }
        if spacing == 3 { text += rng.chance(0.5) ? " " : "　" }
    }

    /// Fictional personal data for the masking step: a name, a 090-0000-xxxx number, an address, an e-mail.
    mutating func addPersonalData() {
        let surname = rng.pick(CommentCorpus.surnames)
        switch rng.below(7) {
        case 0: text = surname + "です。" + text
        case 1: text = town() + "の" + surname + "と申します。" + text
        case 2: text += "連絡先：" + phone()
        case 3: text += "何かあれば" + surname + "（" + phone() + "）までご連絡ください。"
        case 4: text += "（" + surname + rng.pick(CommentCorpus.givenNames) + "）"
        case 5: text += "返信はminato.user\(100 + rng.below(900))@example.com までお願いします。"
        default:
            text = town() + "\(1 + rng.below(5))丁目\(1 + rng.below(20))-\(1 + rng.below(30))に住む" + surname + "です。" + text
        }
    }

    mutating func town() -> String { fixedTown ?? rng.pick(CommentCorpus.towns[ward]) }

    mutating func phone() -> String {
        let last = String(rng.below(10_000))
        return rng.pick(["090", "080", "070"]) + "-0000-" + String(repeating: "0", count: 4 - last.count) + last
    }

    mutating func append(_ fragment: CorpusFragment, _ topic: CorpusTopic) {
        for part in fragment {
            switch part {
            case .text(let s): text += s
            case .slot(let slot): fill(slot, topic)
            }
        }
    }

    private mutating func fill(_ slot: CorpusSlot, _ t: CorpusTopic) {
        switch slot {
        case .subject: append(t.subjects[draw(t.subjects.count, kind: 0)], t)
        case .problem:
            lastProblem = draw(t.problems.count, kind: 1)
            append(t.problems[lastProblem], t)
        case .presentProblem:
            let present = t.presentProblems.isEmpty ? Array(t.problems.indices) : t.presentProblems
            lastProblem = present[draw(present.count, kind: 1, indices: present)]
            append(t.problems[lastProblem], t)
        case .problem2:
            var i = draw(t.problems.count, kind: 1)
            if i == lastProblem { i = (i + 1) % t.problems.count }
            append(t.problems[i], t)
        case .request: append(t.requests[draw(t.requests.count, kind: 2)], t)
        case .praise: append(t.praises[draw(t.praises.count, kind: 3)], t)
        case .question: append(t.questions[draw(t.questions.count, kind: 4)], t)
        case .adverb: text += rng.pick(CommentCorpus.adverbs)
        case .lead:
            if t.local, rng.chance(0.3) { append(rng.pick(tables.localLeads), t) } else { text += rng.pick(CommentCorpus.leads) }
        case .town:
            // Mostly a town of the respondent's own ward, sometimes one elsewhere in the city.
            let w = rng.chance(0.8) ? ward : rng.below(CommentCorpus.towns.count)
            text += fixedTown ?? rng.pick(CommentCorpus.towns[w])
        case .minutes: number(rng.pick([10, 15, 20, 25, 30]))
        case .hour: number(20 + rng.below(3))
        case .count: number(2 + rng.below(3))
        case .years: number(rng.pick([3, 5, 8, 10, 15, 20, 25, 30, 40]))
        case .elderAge: number(78 + rng.below(19))
        case .childAge: number(1 + rng.below(5))
        case .grade: number(1 + rng.below(6))
        }
    }

    /// A random index in 0..<count, redrawn a few times while it names something already used in this comment.
    /// With `indices`, the draw is a position in that list and the mask records the index it maps to.
    private mutating func draw(_ count: Int, kind: Int, indices: [Int]? = nil) -> Int {
        func bit(_ i: Int) -> UInt64 { 1 << UInt64((indices?[i] ?? i) & 63) }
        var i = rng.below(count)
        for _ in 0..<3 where used[kind] & bit(i) != 0 { i = rng.below(count) }
        used[kind] |= bit(i)
        return i
    }

    /// Digits, full-width (２０分) in ~12% of comments as people type them.
    private mutating func number(_ n: Int) {
        guard fullWidthDigits else {
            text += String(n)
            return
        }
        for scalar in String(n).unicodeScalars {
            text.unicodeScalars.append(Unicode.Scalar(scalar.value - 0x30 + 0xFF10)!)
        }
    }
}
