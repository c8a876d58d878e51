namespace SafetyPrograms.Serialization;

/// <summary>
/// The one exception this library throws for input it cannot read: malformed JSON or CSV, a wrong type, a missing
/// or unknown member, an impossible value (an end before a start, a negative count, 2025-02-30), an unsupported
/// schema version. It says where: the file, the JSON path and the line and position, as far as each is known.
/// </summary>
/// <remarks>
/// Line numbers are 1-based and count lines of the file; <see cref="BytePositionInLine"/> is 0-based.
/// A document read against the JSON contract is read to its end, so the exception carries every problem found
/// (<see cref="Problems"/>), not only the first; its own path and line are those of the first (or of an unsupported
/// schema version, which explains the others). Instances are immutable once thrown.
/// </remarks>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates an exception with no location.</summary>
    public DataFormatException()
        : this("The input could not be read.")
    {
    }

    /// <summary>Creates an exception with a message and no location.</summary>
    /// <param name="message">What is wrong and what to fix.</param>
    public DataFormatException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates an exception with a message, a cause and no location.</summary>
    /// <param name="message">What is wrong and what to fix.</param>
    /// <param name="innerException">The underlying exception.</param>
    public DataFormatException(string message, Exception? innerException)
        : this(message, null, null, null, null, innerException)
    {
    }

    /// <summary>Creates an exception with its location.</summary>
    /// <param name="message">What is wrong and what to fix, without the location (it is added to <see cref="Exception.Message"/>).</param>
    /// <param name="fileName">The file, when reading one.</param>
    /// <param name="path">The JSON path, such as <c>partnerships[0].phases[1].period.end</c> (<c>$</c> for the document root), or the CSV column name.</param>
    /// <param name="lineNumber">The 1-based line number.</param>
    /// <param name="bytePositionInLine">The 0-based byte position in the line.</param>
    /// <param name="innerException">The underlying exception.</param>
    public DataFormatException(
        string message, string? fileName, string? path, long? lineNumber, long? bytePositionInLine, Exception? innerException = null)
        : base(Compose(message, fileName, path, lineNumber, bytePositionInLine), innerException)
    {
        Reason = Domain.ValueText.ScreenMessage(message);
        FileName = fileName;
        Path = path is null ? null : Domain.ValueText.ScreenPath(path);
        LineNumber = lineNumber;
        BytePositionInLine = bytePositionInLine;
        Problems = [new DataFormatProblem(DataFormatProblemKind.Unreadable, Reason, string.Empty, Path, lineNumber, bytePositionInLine: bytePositionInLine)];
        ProblemCount = 1;
    }

    /// <summary>The exception for every problem a contract read found; <paramref name="main"/> gives its path and line.</summary>
    internal DataFormatException(
        DataFormatProblem main, IReadOnlyList<DataFormatProblem> problems, long problemCount, string? fileName, Exception? innerException = null)
        : base(Compose(Summarise(main.Reason, problemCount), fileName, main.Path, main.LineNumber, main.BytePositionInLine), innerException)
    {
        Reason = Summarise(main.Reason, problemCount);
        FileName = fileName;
        Path = main.Path;
        LineNumber = main.LineNumber;
        BytePositionInLine = main.BytePositionInLine;
        Problems = problems;
        ProblemCount = problemCount;
        Main = main;
    }

    /// <summary>The problem whose path and line this exception names, for a contract read; otherwise <c>null</c>.</summary>
    internal DataFormatProblem? Main { get; }

    /// <summary>
    /// Every problem found, in the order of the file (at most the reader's cap; <see cref="ProblemCount"/> counts them
    /// all). An exception made with a message alone holds one problem of kind <see cref="DataFormatProblemKind.Unreadable"/>.
    /// </summary>
    public IReadOnlyList<DataFormatProblem> Problems { get; }

    /// <summary>How many problems were found, including any beyond the cap that <see cref="Problems"/> does not hold.</summary>
    public long ProblemCount { get; }

    /// <summary>What is wrong and what to fix, without the location.</summary>
    public string Reason { get; }

    /// <summary>For an unreadable participation record, which catalogue rule refuses it.</summary>
    internal ReadFault Fault { get; init; }

    /// <summary>The file being read, when known.</summary>
    public string? FileName { get; }

    /// <summary>
    /// The JSON path of the offending value (<c>schools[3].location.province</c>; <c>$</c> for the document root), or the
    /// CSV column name; <c>null</c> when the problem is a whole line (a CSV row with the wrong number of fields).
    /// </summary>
    public string? Path { get; }

    /// <summary>The 1-based line number, when known.</summary>
    public long? LineNumber { get; }

    /// <summary>The 0-based byte position within the line, when known.</summary>
    public long? BytePositionInLine { get; }

    /// <summary>A copy of this exception that names <paramref name="fileName"/>, for readers that learn the file late.</summary>
    /// <param name="fileName">The file.</param>
    /// <returns>The new exception, with this one as its inner exception's cause preserved.</returns>
    public DataFormatException WithFileName(string fileName) =>
        Main is { } main
            ? new(main, Problems, ProblemCount, fileName, InnerException)
            : new(Reason, fileName, Path, LineNumber, BytePositionInLine, InnerException) { Fault = Fault };

    private static string Summarise(string reason, long count) =>
        count <= 1 ? reason : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{reason} (and {count - 1} more problem(s), listed in Problems)");

    // A reader's message may quote what it read (a header that was a data row, a binary file's bytes): every value in it
    // goes through the one display rule, so the exception's message never repeats a raw identifier or a control character.
    private static string Compose(string message, string? fileName, string? path, long? line, long? position)
    {
        message = Domain.ValueText.ScreenMessage(message);
        path = path is null ? null : Domain.ValueText.ScreenPath(path);
        fileName = fileName is null ? null : Domain.ValueText.Escape(fileName);
        var where = new List<string>(4);
        if (fileName is not null)
        {
            where.Add(fileName);
        }
        if (line is { } l)
        {
            where.Add(position is { } p ? $"line {l}, position {p}" : $"line {l}");
        }
        if (path is not null)
        {
            where.Add(path);
        }
        return where.Count == 0 ? message : $"{string.Join(", ", where)}: {message}";
    }
}
