/// Restores placeholders in a streamed model answer, chunk by chunk.
///
/// A placeholder may arrive split over chunks (`…[氏` + `名1]…`). The restorer never emits the start of
/// something that could still become a placeholder: it holds back a trailing `[…` until the chunk that
/// completes it (or shows it is not one) arrives, and `finish()` flushes whatever is left unchanged.
/// Held-back text is at most a few characters, so the stream stays live.
public struct PIIStreamRestorer: Sendable {
    public let vault: PIIVault
    private var pending: [Unicode.Scalar] = []

    public init(vault: PIIVault) {
        self.vault = vault
    }

    /// Text that can be shown now (possibly empty).
    public mutating func feed(_ chunk: String) -> String {
        pending.append(contentsOf: chunk.unicodeScalars)
        // Hold back from the last opening bracket if what follows could still grow into a placeholder.
        var hold = pending.count
        let from = max(0, pending.count - PIIPlaceholder.maxLength)
        if let open = pending[from...].lastIndex(where: { PIIPlaceholder.isOpen($0.value) }),
            PIIPlaceholder.couldBePrefix(pending, from: open)
        {
            hold = open
        }
        guard hold > 0 else { return "" }
        var ready = String.UnicodeScalarView()
        ready.append(contentsOf: pending[..<hold])
        pending.removeFirst(hold)
        return PIIMaskingSession.restore(String(ready), vault: vault)
    }

    /// The rest of the stream: anything held back, restored where it is a complete placeholder.
    public mutating func finish() -> String {
        var rest = String.UnicodeScalarView()
        rest.append(contentsOf: pending)
        pending.removeAll()
        return PIIMaskingSession.restore(String(rest), vault: vault)
    }
}
