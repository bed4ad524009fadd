import JapaneseText
import Testing
@testable import Search

@Suite("Index formats")
struct IndexFormatTests {
    @Test(arguments: [UInt64(0), 1, 127, 128, 300, 16_383, 16_384, UInt64(Int64.max), UInt64.max])
    func varIntRoundTrip(_ value: UInt64) {
        var out: [UInt8] = []
        VarInt.append(value, to: &out)
        var offset = 0
        let back = out.withUnsafeBufferPointer { VarInt.read($0, &offset) }
        #expect(back == value)
        #expect(offset == out.count)
    }

    @Test func truncatedVarIntIsRejected() {
        var offset = 0
        #expect([UInt8]([0x80, 0x80]).withUnsafeBufferPointer { VarInt.read($0, &offset) } == nil)
    }

    @Test func postingsRoundTrip() {
        let postings: [(ordinal: UInt32, tf: UInt32)] = [(0, 1), (5, 3), (6, 200), (100_000, 1)]
        let decoded = PostingsCodec.decode(PostingsCodec.encode(postings))
        #expect(decoded.map(\.ordinal) == [0, 5, 6, 100_000])
        #expect(decoded.map(\.tf) == [1, 3, 200, 1])
    }

    @Test func corruptPostingsStopCleanly() {
        var blob = PostingsCodec.encode([(0, 1), (5, 2), (9, 3)])
        blob.removeLast(2)  // truncated payload
        var visited = 0
        let ok = blob.withUnsafeBufferPointer { PostingsCodec.forEach($0) { _, _ in visited += 1 } }
        #expect(!ok)
        #expect(visited < 3)
        let wrongVersion = [UInt8]([9, 1, 1]).withUnsafeBufferPointer { PostingsCodec.forEach($0) { _, _ in visited += 1 } }
        #expect(!wrongVersion)
    }

    @Test func lengthNormsAreExactWhenShortAndNeverOverstate() {
        for length in UInt32(0)..<128 { #expect(LengthNorm.decode(LengthNorm.encode(length)) == length) }
        var previous: UInt8 = 0
        for length in stride(from: UInt32(100), to: 40_000, by: 7) {
            let code = LengthNorm.encode(length)
            let back = LengthNorm.decode(code)
            #expect(code >= previous, "monotone at \(length)")
            previous = code
            #expect(back <= length)
            if length < 32_768 { #expect(Double(length - back) <= Double(length) * 0.0625, "precision at \(length)") }
        }
        #expect(LengthNorm.encode(1_000_000) == 255)
        #expect(LengthNorm.decode(255) == 16_384 + 15 * 1024)
    }

    @Test func docTableRoundTripAndCorruption() throws {
        var table = SegmentDocTable()
        table.append(chunkID: 10, documentID: 2, collectionID: 1, wordLength: 30, gramLength: 55)
        table.append(chunkID: 7, documentID: 3, collectionID: 4, wordLength: 0, gramLength: 1)
        let encoded = table.encoded()
        #expect(try SegmentDocTable.decode(encoded) == table)
        #expect(throws: SearchError.self) { try SegmentDocTable.decode(Array(encoded.dropLast(2))) }
    }

    @Test func builderGroupsPostingsByTerm() {
        var builder = SegmentBuilder()
        builder.add(chunkID: 1, documentID: 1, collectionID: 1, wordLength: 2, gramLength: 0, terms: [TermFrequency(termID: 5, tf: 2, field: .word), TermFrequency(termID: 9, tf: 1, field: .gram)])
        builder.add(chunkID: 2, documentID: 1, collectionID: 1, wordLength: 1, gramLength: 0, terms: [TermFrequency(termID: 5, tf: 1, field: .word)])
        let encoded = builder.encodedPostings()
        #expect(encoded.map(\.termID) == [5, 9])
        #expect(encoded[0].df == 2)
        #expect(PostingsCodec.decode(encoded[0].blob).map(\.ordinal) == [0, 1])
        #expect(PostingsCodec.decode(encoded[0].blob).map(\.tf) == [2, 1])
    }

    @Test func internerFindsExistingTermsAndGrows() {
        var interner = TermInterner(capacity: 4)
        var ids: [Int32] = []
        for i in 0..<1000 {
            let bytes = Array("語\(i)".utf8)
            ids.append(bytes.withUnsafeBufferPointer { interner.intern(field: 0, $0) })
        }
        #expect(Set(ids).count == 1000)
        let again = Array("語500".utf8).withUnsafeBufferPointer { interner.intern(field: 0, $0) }
        #expect(again == ids[500])
        let otherField = Array("語500".utf8).withUnsafeBufferPointer { interner.intern(field: 1, $0) }
        #expect(otherField != ids[500])
        #expect(interner.text(ids[42]) == "語42")
    }
}
