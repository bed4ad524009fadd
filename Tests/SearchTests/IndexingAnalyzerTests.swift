import Testing
import JapaneseText
@testable import Search
import TestSupport

@Suite("Indexing analyzer")
struct IndexingAnalyzerTests {
    @Test func indexingAnalyzerCountsFrequencies() throws {
        let indexing = try IndexingAnalyzer(model: try TestEnvironment.model())
        let chunk = indexing.analyze("予算と予算と決算")
        let byKey = Dictionary(uniqueKeysWithValues: chunk.terms.map { (indexing.key($0.localID), Int($0.tf)) })
        #expect(byKey["w:予算"] == 2)
        #expect(byKey["w:決算"] == 1)
        #expect(chunk.wordLength == 3)
        #expect(chunk.gramLength == 7)  // 予算 算と と予 予算 算と と決 決算
    }
}
