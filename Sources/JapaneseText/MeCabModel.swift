import CMeCab
import HirobaCore

/// Errors from Japanese text analysis.
public enum JapaneseTextError: HirobaError, Equatable {
    case dictionaryNotFound(path: String)
    case taggerCreationFailed(String)

    public var message: String {
        switch self {
        case .dictionaryNotFound(let path): "MeCab の辞書が見つかりません: \(path)"
        case .taggerCreationFailed(let why): "MeCab を初期化できませんでした: \(why)"
        }
    }

    public var fix: String {
        switch self {
        case .dictionaryNotFound:
            "Install it with `sudo apt-get install mecab-ipadic-utf8` (or run `make run`, which installs it), "
                + "or set HIROBA_MECAB_DIC to an IPAdic UTF-8 dictionary directory."
        case .taggerCreationFailed:
            "Check that libmecab2 and mecab-ipadic-utf8 are installed and the dictionary is readable."
        }
    }
}

/// One loaded MeCab dictionary, shared by every thread. Taggers are cheap and per thread.
///
/// The dictionary is always passed explicitly: installing UniDic silently changes the system default,
/// and the part-of-speech ids used by the analyzers are IPAdic's.
public final class MeCabModel: @unchecked Sendable {
    /// Debian's IPAdic UTF-8 dictionary.
    public static let defaultDictionary = "/var/lib/mecab/dic/ipadic-utf8"

    let model: OpaquePointer

    public init(dictionary: String = MeCabModel.defaultDictionary) throws {
        var isDirectory = false
        if !fileExists(dictionary + "/sys.dic", isDirectory: &isDirectory) {
            throw JapaneseTextError.dictionaryNotFound(path: dictionary)
        }
        guard let model = mecab_model_new2("-d \(dictionary)") else {
            let why = mecab_strerror(nil).map { String(cString: $0) } ?? "unknown error"
            throw JapaneseTextError.taggerCreationFailed(why)
        }
        self.model = model
    }

    deinit { mecab_model_destroy(model) }

    /// A tagger for the calling thread. Never share one tagger between threads.
    public func makeTagger() throws -> MeCabTagger {
        guard let tagger = mecab_model_new_tagger(model), let lattice = mecab_model_new_lattice(model) else {
            throw JapaneseTextError.taggerCreationFailed("mecab_model_new_tagger failed")
        }
        return MeCabTagger(tagger: tagger, lattice: lattice, model: self)
    }

    /// Process-wide shared model for the default dictionary, loaded on first use.
    public static func shared() throws -> MeCabModel {
        try sharedModel.get()
    }

    private static let sharedModel: Result<MeCabModel, Error> = {
        let env = getenvString("HIROBA_MECAB_DIC")
        return Result { try MeCabModel(dictionary: env ?? defaultDictionary) }
    }()
}

/// A view of one MeCab node, valid only inside the `parse` callback.
public struct MeCabNode {
    /// Surface bytes (not NUL-terminated), a slice of the input.
    public let surface: UnsafeBufferPointer<UInt8>
    /// Byte offset of the surface in the input.
    public let offset: Int
    /// IPAdic part-of-speech id (see `IPAdicPOS`).
    public let posID: UInt16
    /// True when MeCab did not find the word in its dictionary.
    public let isUnknown: Bool
    let featurePointer: UnsafePointer<CChar>
    let node: UnsafePointer<mecab_node_t>
    let lattice: OpaquePointer

    /// Whether the dictionary has another entry with exactly this surface whose part of speech passes
    /// `test`: 宮崎 is both 地域 and 姓, and the best path keeps only one. Reads the other nodes the lattice
    /// holds at this position; unknown-word nodes do not count.
    public func hasAlternative(_ test: (UInt16) -> Bool) -> Bool {
        // begin_nodes are indexed at the position before the whitespace a node skipped.
        let start = offset - (Int(node.pointee.rlength) - Int(node.pointee.length))
        guard start >= 0 else { return false }
        var other = mecab_lattice_get_begin_nodes(lattice, start)
        while let n = other {
            if n.pointee.length == node.pointee.length && n.pointee.stat != UInt8(MECAB_UNK_NODE) && test(n.pointee.posid) { return true }
            other = n.pointee.bnext
        }
        return false
    }

    /// The dictionary's word cost: low for frequent words, high for rare ones (unknown words get the cost of
    /// their character class).
    public var wordCost: Int16 { node.pointee.wcost }

    /// The base form (7th feature field) as bytes, or nil when the dictionary gives `*`.
    public func baseForm() -> UnsafeBufferPointer<UInt8>? {
        featurePointer.withMemoryRebound(to: UInt8.self, capacity: 1) { p in
            var field = 0
            var i = 0
            var start = 0
            while true {
                let c = p[i]
                if c == 0 || c == 0x2C {
                    if field == 6 {
                        let length = i - start
                        if length == 0 || (length == 1 && p[start] == 0x2A) { return nil }
                        return UnsafeBufferPointer(start: p + start, count: length)
                    }
                    if c == 0 { return nil }
                    field += 1
                    start = i + 1
                }
                i += 1
            }
        }
    }

    /// The full feature string (for display and debugging only).
    public var feature: String { String(cString: featurePointer) }
}

/// A MeCab tagger and its lattice. Not thread-safe: one per thread (`mecab_parse_lattice` only).
public final class MeCabTagger {
    private let tagger: OpaquePointer
    private let lattice: OpaquePointer
    private let model: MeCabModel  // keeps the dictionary alive

    init(tagger: OpaquePointer, lattice: OpaquePointer, model: MeCabModel) {
        self.tagger = tagger
        self.lattice = lattice
        self.model = model
    }

    deinit {
        mecab_lattice_destroy(lattice)
        mecab_destroy(tagger)
    }

    /// Tokenizes UTF-8 bytes, calling `visit` for every node between BOS and EOS.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ visit: (MeCabNode) -> Void) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
            mecab_lattice_set_sentence2(lattice, chars, bytes.count)
            guard mecab_parse_lattice(tagger, lattice) != 0 else { return }
            var node = mecab_lattice_get_bos_node(lattice)
            while let n = node {
                let stat = n.pointee.stat
                if stat != UInt8(MECAB_BOS_NODE) && stat != UInt8(MECAB_EOS_NODE) {
                    let surfacePointer = UnsafeRawPointer(n.pointee.surface!).assumingMemoryBound(to: UInt8.self)
                    let length = Int(n.pointee.length)
                    visit(
                        MeCabNode(
                            surface: UnsafeBufferPointer(start: surfacePointer, count: length),
                            offset: surfacePointer - base,
                            posID: n.pointee.posid,
                            isUnknown: stat == UInt8(MECAB_UNK_NODE),
                            featurePointer: n.pointee.feature,
                            node: UnsafePointer(n),
                            lattice: lattice))
                }
                node = UnsafeMutablePointer(n.pointee.next)
            }
        }
    }

    /// Convenience for tests and display: (surface, feature) pairs.
    public func tokens(_ text: String) -> [(surface: String, feature: String)] {
        var out: [(String, String)] = []
        var copy = Array(text.utf8)
        copy.withUnsafeMutableBufferPointer { buffer in
            parse(UnsafeBufferPointer(buffer)) { node in
                out.append((String(decoding: node.surface, as: UTF8.self), node.feature))
            }
        }
        return out
    }
}
