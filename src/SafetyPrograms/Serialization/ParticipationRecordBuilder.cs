using System.Text;
using NodaTime;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Serialization;

/// <summary>
/// Turns decoded rows into <see cref="ParticipationRecord"/>s for the typed readers, reusing identifier strings that
/// repeat across rows (activities, schools). One per reader; not thread-safe.
/// </summary>
internal sealed class ParticipationRecordBuilder
{
    private readonly IdCache<Domain.Activity> _activities = new();
    private readonly IdCache<School> _schools = new();

    /// <summary>The row's record, or why the row cannot be one (the same reasons, in the same order, as the store's ingest).</summary>
    internal FieldProblem? TryBuild(scoped in ParticipationRow row, out ParticipationRecord? record)
    {
        record = null;
        var problem = ParticipationFields.Decode(row, out var v) ?? ParticipationFields.IdProblem(row.Activity, row.School);
        if (problem is not null)
        {
            return problem;
        }
        record = new ParticipationRecord(
            new BeneficiaryKey(Encoding.ASCII.GetString(row.Beneficiary)), _activities.Get(row.Activity),
            LocalDate.FromDateOnly(DateOnly.FromDayNumber(v.DayNumber)), (BeneficiaryRole)v.Role, (Sex)v.Sex, (AgeBand)v.AgeBand,
            (DeliveryMode)v.Mode, v.Completed, row.School.IsEmpty ? null : _schools.Get(row.School),
            ParticipationFields.Decimal(row.PreScore), ParticipationFields.Decimal(row.PostScore),
            row.Age.IsEmpty ? null : v.Age, v.YearOfBirth == 0 ? null : v.YearOfBirth, FunctioningAnswers.FromPacked(v.Functioning));
        return null;
    }

    /// <summary>A read result for a line: its record, or its problem as a <see cref="DataFormatException"/>.</summary>
    internal ParticipationReadResult Read(scoped in ParticipationRow row, long line, string? fileName) =>
        TryBuild(row, out var record) is { } problem
            ? Failure(problem, line, fileName)
            : ParticipationReadResult.Success(line, record!);

    internal static ParticipationReadResult Failure(FieldProblem problem, long line, string? fileName) =>
        ParticipationReadResult.Failure(line, new DataFormatException(problem.Message, fileName, problem.Column, line, null) { Fault = problem.Fault });
}

/// <summary>Identifiers seen before, so that a million rows about a thousand activities make a thousand strings.</summary>
internal sealed class IdCache<TEntity>
    where TEntity : class
{
    private const int Capacity = 1 << 14;

    private readonly Dictionary<string, Id<TEntity>> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Id<TEntity>>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    internal IdCache() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The id of a valid identifier's bytes (ASCII, at most <see cref="Id{TEntity}.MaxLength"/> of them).</summary>
    internal Id<TEntity> Get(ReadOnlySpan<byte> ascii)
    {
        Span<char> chars = stackalloc char[Id<TEntity>.MaxLength];
        chars = chars[..Encoding.Latin1.GetChars(ascii, chars)];
        if (_lookup.TryGetValue(chars, out var id))
        {
            return id;
        }
        id = new Id<TEntity>(chars.ToString());
        if (_ids.Count < Capacity)
        {
            _ids[id.Value] = id;
        }
        return id;
    }
}
