using System.Text;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Cli.Console;

/// <summary>
/// Standard output and error as the tool writes them: every control character, bidirectional override and undecodable
/// byte that a value carries is escaped by the library's one rule (<see cref="ValueText.Escape(string?, bool)"/>), so
/// no dataset name, participation value or file content can drive the terminal. The tool's own line breaks pass.
/// </summary>
internal sealed class EscapingWriter(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    public override Encoding Encoding => inner.Encoding;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => inner.NewLine;
        set => inner.NewLine = value;
    }

    public override void Write(char value) => inner.Write(ValueText.Escape(value.ToString(), keepLineBreaks: value != '\r'));

    public override void Write(string? value) => inner.Write(ValueText.Escape(value, keepLineBreaks: true));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer) => Write(buffer.ToString());

    public override void WriteLine() => inner.WriteLine();

    public override void WriteLine(string? value)
    {
        Write(value);
        inner.WriteLine();
    }

    public override void WriteLine(ReadOnlySpan<char> buffer) => WriteLine(buffer.ToString());

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();

    // The inner writer belongs to the caller (the console, or a test's StringWriter): it is flushed, not closed.
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Flush();
        }
        base.Dispose(disposing);
    }
}
