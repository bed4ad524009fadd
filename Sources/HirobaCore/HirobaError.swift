/// Every user-facing error in Hiroba says what happened and how to fix it.
/// Modules define their own error types conforming to this; the CLI prints `error:` and `fix:`,
/// the server maps them to HTTP statuses.
public protocol HirobaError: Error, CustomStringConvertible {
    /// What went wrong, in terms the operator understands.
    var message: String { get }
    /// What to do about it.
    var fix: String { get }
}

extension HirobaError {
    public var description: String { "\(message) (fix: \(fix))" }
}
