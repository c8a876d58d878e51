using SafetyPrograms.Serialization;

namespace SafetyPrograms.Orleans;

/// <summary>
/// How a <see cref="DataFormatException"/> travels from a silo to the client, so that a shard's data error (a damaged
/// Parquet file, a record the catalogue refuses) reaches the caller as itself, with its reason, location and problems.
/// </summary>
/// <remarks>
/// The core package carries no Orleans attribute, hence this surrogate. The exception's inner exception (often a
/// third-party decoder's, with no codec and with text that may quote the data) and its stack trace stay on the silo,
/// where they were logged; the messages travel as the exception screened them.
/// </remarks>
[GenerateSerializer, Immutable, Alias("SafetyPrograms.Orleans.DataFormatException")]
internal readonly record struct DataFormatExceptionSurrogate(
    [property: Id(0)] string Reason,
    [property: Id(1)] string? FileName,
    [property: Id(2)] string? Path,
    [property: Id(3)] long? LineNumber,
    [property: Id(4)] long? BytePositionInLine,
    [property: Id(5)] DataFormatProblemSurrogate[] Problems,
    [property: Id(6)] long ProblemCount,
    [property: Id(7)] int Main,
    [property: Id(8)] int Fault);

/// <summary>One <see cref="DataFormatProblem"/> on the wire; its kind by number.</summary>
[GenerateSerializer, Immutable, Alias("SafetyPrograms.Orleans.DataFormatProblem")]
internal readonly record struct DataFormatProblemSurrogate(
    [property: Id(0)] int Kind,
    [property: Id(1)] string Reason,
    [property: Id(2)] string Fix,
    [property: Id(3)] string? Path,
    [property: Id(4)] long? LineNumber,
    [property: Id(5)] long? Column,
    [property: Id(6)] long? BytePositionInLine);

/// <summary>Registers <see cref="DataFormatExceptionSurrogate"/> with the Orleans serializer.</summary>
[RegisterConverter]
internal sealed class DataFormatExceptionConverter : IConverter<DataFormatException, DataFormatExceptionSurrogate>
{
    /// <inheritdoc/>
    public DataFormatException ConvertFromSurrogate(in DataFormatExceptionSurrogate surrogate)
    {
        var problems = surrogate.Problems
            .Select(p => new DataFormatProblem((DataFormatProblemKind)p.Kind, p.Reason, p.Fix, p.Path, p.LineNumber, p.Column, p.BytePositionInLine))
            .ToArray();
        // A contract read's exception names one of its problems; any other was made from a reason and a location.
        return (uint)surrogate.Main < (uint)problems.Length
            ? new DataFormatException(problems[surrogate.Main], problems, surrogate.ProblemCount, surrogate.FileName) { Fault = (ReadFault)surrogate.Fault }
            : new DataFormatException(surrogate.Reason, surrogate.FileName, surrogate.Path, surrogate.LineNumber, surrogate.BytePositionInLine) { Fault = (ReadFault)surrogate.Fault };
    }

    /// <inheritdoc/>
    public DataFormatExceptionSurrogate ConvertToSurrogate(in DataFormatException value) => new(
        value.Reason,
        value.FileName,
        value.Path,
        value.LineNumber,
        value.BytePositionInLine,
        [.. value.Problems.Select(p => new DataFormatProblemSurrogate((int)p.Kind, p.Reason, p.Fix, p.Path, p.LineNumber, p.Column, p.BytePositionInLine))],
        value.ProblemCount,
        value.Main is { } main ? value.Problems.ToList().IndexOf(main) : -1,
        (int)value.Fault);
}
