import Foundation
import HirobaCore
import JapaneseText

/// PDF through poppler's `pdftotext -layout`, page by page (pages are separated by form feeds).
/// Lines wrapped by the layout are joined back into paragraphs, the spaces poppler puts between kanji
/// and Latin digits (「第 3 条」「10 日」) are removed, and wide gaps become 「　」. Pages without any text
/// (scanned images) are named in a warning; a PDF with no text at all is refused.
public enum PDFExtractor {
    public static func extract(path: String, limits: ExtractionLimits) throws -> StructuredDocument {
        let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 1024)) ?? Data()
        guard head.range(of: Data("%PDF-".utf8)) != nil else {
            throw IngestError.corrupt(path, format: "PDF", reason: "no %PDF- header")
        }
        let output = try runPdftotext(path: path, timeout: limits.pdfTimeoutSeconds)
        var pages = output.split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init)
        // pdftotext ends the last page with a form feed too.
        if pages.count > 1, pages.last?.trimmingWhitespace().isEmpty == true { pages.removeLast() }
        var blocks: [DocumentBlock] = []
        var empty: [Int] = []
        for (i, page) in pages.enumerated() {
            let text = normalizePage(page)
            if text.trimmingWhitespace().isEmpty {
                empty.append(i + 1)
                continue
            }
            blocks += TextBlocks.parse(text, markdown: false, page: i + 1)
        }
        if blocks.isEmpty { throw IngestError.noExtractableText(path, pages: empty) }
        var warnings: [String] = []
        if !empty.isEmpty {
            warnings.append(
                "テキストのないページがあります（スキャン画像の可能性。OCR が必要です）: p.\(empty.map(String.init).joined(separator: ", p."))")
        }
        return StructuredDocument(
            title: title(path: path), mediaType: DocumentFormat.pdf.mediaType, blocks: blocks, warnings: warnings)
    }

    /// The document title from the PDF's metadata, when it is a real title (not 「Microsoft Word - x.docx」).
    static func title(path: String) -> String? {
        guard let info = try? run("pdfinfo", ["-enc", "UTF-8", path], timeout: 30), info.status == 0 else { return nil }
        for line in String(decoding: info.stdout, as: UTF8.self).split(separator: "\n") where line.hasPrefix("Title:") {
            let t = line.dropFirst(6).trimmingCharacters(in: Set(" \t"))
            if t.isEmpty || t.hasPrefix("Microsoft") || t.lowercased().hasSuffix(".docx") || t == "untitled" { return nil }
            return t
        }
        return nil
    }

    static func runPdftotext(path: String, timeout: Double) throws -> String {
        let result: ProcessResult
        do {
            result = try run("pdftotext", ["-layout", "-enc", "UTF-8", path, "-"], timeout: timeout)
        } catch ProcessFailure.notFound {
            throw IngestError.toolMissing(path, tool: "pdftotext", package: "poppler-utils")
        } catch ProcessFailure.timedOut {
            throw IngestError.timedOut(path, seconds: timeout)
        }
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        if result.status != 0 {
            if stderr.contains("Incorrect password") { throw IngestError.encrypted(path) }
            let reason = stderr.split(separator: "\n").last(where: { $0.contains("Error") }).map(String.init)
                ?? "pdftotext exit \(result.status)"
            throw IngestError.corrupt(path, format: "PDF", reason: reason)
        }
        return String(decoding: result.stdout, as: UTF8.self)
    }

    // MARK: - Page text

    nonisolated(unsafe) static let labelAtStart = try! Regex(
        "^(第) ?([0-9]+) ?(条|章|節|款|編|目)(( ?の ?[0-9]+)*)[ 　]+")
    nonisolated(unsafe) static let wideGap = try! Regex("[ ]{2,}")

    /// One page of `pdftotext -layout` output as lines of clean text, paragraphs joined.
    static func normalizePage(_ page: String) -> String {
        var lines: [String] = []
        for raw in page.lineSlices(omittingEmpty: false) {
            lines.append(cleanLine(String(raw)))
        }
        let width = lines.map(\.displayWidth).max() ?? 0
        var out: [String] = []
        var previousWasFull = false
        for line in lines {
            if line.isEmpty {
                previousWasFull = false
                out.append("")
                continue
            }
            // A wrapped line continues the previous one when that filled the text width and this one
            // does not start a structural unit (article, 項, 号, heading, bullet, caption).
            if previousWasFull, let last = out.last, !last.isEmpty, !startsUnit(line), !last.hasSuffix("。") {
                out[out.count - 1] = joinWrapped(last, line)
            } else {
                out.append(line)
            }
            previousWasFull = width > 20 && line.displayWidth * 10 >= width * 8
        }
        return out.joined(separator: "\n")
    }

    /// Trims, removes poppler's spaces around Latin digits between kanji, and turns wide gaps into 「　」.
    static func cleanLine(_ raw: String) -> String {
        var line = raw.trimmingWhitespace()
        guard !line.isEmpty else { return "" }
        if let m = line.prefixMatch(of: labelAtStart) {
            let label = String(line[m.range]).filter { $0 != " " && $0 != "　" }
            line = label + "　" + line[m.range.upperBound...]
        }
        line = line.replacing(wideGap, with: "　")
        // Single spaces next to ASCII digits or letters inside Japanese text are layout artefacts, except
        // the one after a heading number (「2.2 支出命令の入力」).
        var result = ""
        result.reserveCapacity(line.utf8.count)
        let chars = Array(line)
        let numberEnd = chars.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }.count
        for (i, c) in chars.enumerated() {
            if c == " ", i == numberEnd, i > 0 {
                result.append(" ")
                continue
            }
            if c == " ", i > 0, i + 1 < chars.count {
                let a = chars[i - 1], b = chars[i + 1]
                if (a.isJapanese && (b.isASCIIDigitOrLetter || b.isJapanese)) || (a.isASCIIDigitOrLetter && b.isJapanese) {
                    continue
                }
            }
            result.append(c)
        }
        return result
    }

    static func startsUnit(_ line: String) -> Bool {
        line.prefixMatch(of: ArticleChunker.articleStart) != nil || line.prefixMatch(of: ArticleChunker.chapterLine) != nil
            || StatutePosition.paragraphNumber(atLineStart: line) != nil || StatutePosition.itemNumber(atLineStart: line) != nil
            || TextBlocks.numberedHeadingLevel(line) != nil || line.hasPrefix("・") || line.hasPrefix("●")
            || line.hasPrefix("（") || line.hasPrefix("(")
            || FAQChunker.marker(line, FAQChunker.questionMarkers) != nil || FAQChunker.marker(line, FAQChunker.answerMarkers) != nil
    }

    /// Joins a wrapped line: no space between Japanese characters, one space between Latin words.
    static func joinWrapped(_ a: String, _ b: String) -> String {
        if let x = a.last, let y = b.first, x.isASCIIDigitOrLetter, y.isASCIIDigitOrLetter { return a + " " + b }
        return a + b
    }
}

extension Character {
    var isJapanese: Bool {
        guard let v = unicodeScalars.first?.value else { return false }
        return TextNormalizer.isJapanese(v) || (0x3000...0x303F).contains(v) || (0xFF01...0xFF60).contains(v)
    }
    var isASCIIDigitOrLetter: Bool { isASCII && (isNumber || isLetter) }
}

extension String {
    /// Columns on a terminal: East Asian wide characters count two.
    var displayWidth: Int {
        unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && $1.value != 0x3000 ? 2 : ($1.value == 0x3000 ? 2 : 1)) }
    }
}

// MARK: - Running helper programs

struct ProcessResult {
    var status: Int32
    var stdout: Data
    var stderr: Data
}

enum ProcessFailure: Error {
    case notFound
    case timedOut
}

/// Runs a program found on PATH (or /usr/bin), collecting its output, killing it after `timeout` seconds.
func run(_ tool: String, _ arguments: [String], timeout: Double) throws -> ProcessResult {
    let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map {
        "\($0)/\(tool)"
    } + ["/usr/bin/\(tool)"]
    guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw ProcessFailure.notFound
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    try process.run()
    // Drain both pipes concurrently so a chatty stderr cannot block the child.
    nonisolated(unsafe) var stdoutData = Data()
    nonisolated(unsafe) var stderrData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
        stderrData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    if done.wait(timeout: .now() + timeout) == .timedOut {
        process.terminate()
        kill(process.processIdentifier, SIGKILL)
        _ = done.wait(timeout: .now() + 5)
        group.wait()
        throw ProcessFailure.timedOut
    }
    group.wait()
    return ProcessResult(status: process.terminationStatus, stdout: stdoutData, stderr: stderrData)
}
