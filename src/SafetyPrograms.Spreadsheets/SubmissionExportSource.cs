using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets.Reading;
using SafetyPrograms.Spreadsheets.Submissions;
using SafetyPrograms.Utility;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Spreadsheets;

/// <summary>
/// Participation records from a KoboToolbox or ODK Central export, as a <see cref="SubmissionMapping"/> reads it: one
/// record a submission, or one a row of a repeat group (<see cref="SubmissionMapping.Records"/>) joined to its
/// submission (Kobo: <c>_parent_index</c> to <c>_index</c>; ODK Central: <c>PARENT_KEY</c> to <c>KEY</c>), so a record can
/// use the submission's fields (the session's activity and date) and its own (the person's sex and age). Append it with
/// <c>ParticipationStore.Append(source, mapping.SourceOptions(keys))</c>, or report on it with <c>DryRun</c>.
/// </summary>
/// <remarks>
/// <para>A submission sent again (the same <c>_uuid</c> in Kobo, the same <c>KEY</c>, its instanceID, in ODK) is read
/// once: the records of every later copy are refused with SP8018, so they are counted in the report and never twice in
/// the store. A repeat row whose submission the export does not hold, and a row that cannot be read (a cell of an XLSX
/// export that holds an error value, a CSV line with too many values), are refused (SP8001) with a message naming the
/// place. Rows are located as the export shows them: <c>participants!A5</c>, or <c>form-participants.csv line 5</c>.</para>
/// <para>The raw identifier (<see cref="SubmissionMapping.RawIdentifier"/>) is keyed as each row is read, with the
/// options' keys: it never reaches the store, the report or a message.</para>
/// <para>The export's tables are held whole while read (an export is of submissions); reads its streams once, when
/// appended, and does not close them. Not thread-safe.</para>
/// </remarks>
public sealed class SubmissionExportSource : ParticipationSource
{
    private readonly SubmissionMapping _mapping;
    private readonly Func<(SubmissionTable Submissions, SubmissionTable? Records)> _load;
    private SubmissionTable? _located;

    private SubmissionExportSource(SubmissionMapping mapping, string? name, Func<(SubmissionTable, SubmissionTable?)> load)
        : base(name)
    {
        _mapping = Preconditions.CheckNotNull(mapping);
        _load = load;
    }

    /// <summary>An XLSX export: the submissions on the first sheet, the repeat group's rows on the sheet named as <see cref="SubmissionMapping.Records"/>.</summary>
    /// <param name="mapping">How the export reads.</param>
    /// <param name="workbook">The .xlsx export; read when appended, not closed.</param>
    /// <param name="fileName">The file name, for the report and messages.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static SubmissionExportSource FromWorkbook(SubmissionMapping mapping, Stream workbook, string? fileName = null)
    {
        Preconditions.CheckNotNull(workbook);
        return new(mapping, fileName, () =>
        {
            using var book = XlsxWorkbook.Open(workbook, fileName);
            var submissions = SubmissionTable.FromSheet(book, null);
            return (submissions, mapping.Records is { } records ? SubmissionTable.FromSheet(book, records) : null);
        });
    }

    /// <summary>A CSV export: the submissions' file and, when the mapping names a repeat group, that group's file (ODK Central's <c>FORM-GROUP.csv</c>).</summary>
    /// <param name="mapping">How the export reads.</param>
    /// <param name="submissions">The submissions' CSV (comma-separated, UTF-8); read when appended, not closed.</param>
    /// <param name="fileName">Its file name, for the report and messages.</param>
    /// <param name="records">The repeat group's CSV; required when <see cref="SubmissionMapping.Records"/> is set.</param>
    /// <param name="recordsFileName">Its file name.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mapping"/> or <paramref name="submissions"/> is null.</exception>
    /// <exception cref="ArgumentException">The mapping names a repeat group and no <paramref name="records"/> file is given.</exception>
    public static SubmissionExportSource FromCsv(
        SubmissionMapping mapping, Stream submissions, string? fileName = null, Stream? records = null, string? recordsFileName = null)
    {
        Preconditions.CheckNotNull(mapping);
        Preconditions.CheckNotNull(submissions);
        if (mapping.Records is not null && records is null)
        {
            throw new ArgumentException($"The mapping reads records from the repeat group '{mapping.Records}': give that group's CSV file too.", nameof(records));
        }
        return new(mapping, fileName, () => (
            SubmissionTable.FromCsv(submissions, fileName),
            records is null ? null : SubmissionTable.FromCsv(records, recordsFileName ?? mapping.Records + ".csv")));
    }

    /// <summary>Where a record is, as the export shows it.</summary>
    /// <param name="rowNumber">The record's row (a sheet row, or a file line).</param>
    /// <returns>Such as <c>participants!A5</c> or <c>form-participants.csv line 5</c>.</returns>
    public override string Locate(long rowNumber) => _located?.Locate(rowNumber) ?? base.Locate(rowNumber);

    /// <inheritdoc/>
    protected internal override void ReadRows(ParticipationRowWriter rows, CancellationToken cancellationToken)
    {
        Preconditions.CheckNotNull(rows);
        var (submissions, records) = _load();
        _located = records ?? submissions;
        var odk = _mapping.Tool == SubmissionTool.Odk;
        var id = submissions.Column(odk ? "KEY" : "_uuid") is var key and >= 0 ? key : submissions.Column(odk ? "meta-instanceID" : "meta/instanceID");
        var parentKey = records is null ? -1 : Required(submissions, odk ? "KEY" : "_index");
        var childKey = records is null ? -1 : Required(records, odk ? "PARENT_KEY" : "_parent_index");
        if (records is not null)
        {
            CheckOneLevel(records, submissions, odk, childKey);
        }

        // The joined columns: the record's own, then the submission's it does not have, then one a constant.
        var own = records?.Columns ?? [];
        var fromSubmission = Enumerable.Range(0, submissions.Columns.Count)
            .Where(c => records is null || records.Column(submissions.Columns[c]) < 0).ToArray();
        var constants = _mapping.Constants.ToArray();
        List<string> columns = [.. own, .. fromSubmission.Select(c => submissions.Columns[c]), .. constants.Select(c => c.Key)];
        var translate = columns.Select(Translation).ToArray();
        rows.SetColumns(columns);

        // Each submission once: a later copy (same id) is refused; the records name their submission by its join key.
        var first = new Dictionary<string, long>(StringComparer.Ordinal);
        var resent = new HashSet<long>();
        var byKey = new Dictionary<string, SubmissionRow>(StringComparer.Ordinal);
        foreach (var submission in submissions.Rows)
        {
            if (id >= 0 && submission.Cells[id] is { } sid && !first.TryAdd(sid, submission.Number))
            {
                resent.Add(submission.Number);
            }
            if (parentKey >= 0 && submission.Cells[parentKey] is { } k)
            {
                byKey.TryAdd(k, submission);
            }
        }
        // ODK Central gives each repeat row its own KEY: a copy of a re-sent submission's rows repeats them.
        var recordId = records is null || !odk ? -1 : records.Column("KEY");
        var firstRecord = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in records?.Rows ?? submissions.Rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows.BeginRow(row.Number);
            var parent = records is null ? row
                : row.Cells[childKey] is { } parentId && byKey.TryGetValue(parentId, out var found) ? found : null;
            if (row.Problem is { } problem)
            {
                rows.RefuseRow(problem);
            }
            else if (parent is null)
            {
                rows.RefuseRow($"The row names a submission ({records!.Columns[childKey]}) that the export's {submissions.Name} does not hold.");
            }
            else if (parent.Problem is { } parentProblem)
            {
                rows.RefuseRow($"Its submission, at {submissions.Locate(parent.Number)}, cannot be read: {parentProblem}");
            }
            else if (recordId >= 0 && row.Cells[recordId] is { } rid && !firstRecord.TryAdd(rid, row.Number))
            {
                rows.RefuseRow(ValidationRules.SubmissionSentAgain,
                    $"The row was sent again: it repeats the one at {records!.Locate(firstRecord[rid])}, which is counted.");
            }
            else if (resent.Contains(parent.Number))
            {
                rows.RefuseRow(ValidationRules.SubmissionSentAgain,
                    $"Its submission, at {submissions.Locate(parent.Number)}, was sent again: it repeats the one at {submissions.Locate(first[parent.Cells[id]!])}, which is counted.");
            }
            else
            {
                var c = 0;
                foreach (var cell in records is null ? [] : row.Cells)
                {
                    Set(rows, c, cell, translate[c++]);
                }
                foreach (var s in fromSubmission)
                {
                    Set(rows, c, parent.Cells[s], translate[c++]);
                }
                foreach (var (_, value) in constants)
                {
                    Set(rows, c, value, translate[c++]);
                }
            }
            if (!rows.EndRow())
            {
                return;
            }
        }
    }

    private static void Set(ParticipationRowWriter rows, int column, string? text, IReadOnlyDictionary<string, string>? translate) =>
        rows.Set(column, text is not null && translate is not null && translate.TryGetValue(text, out var ours) ? ours : text);

    /// <summary>The answer translation of a joined column: the one of the participation field it fills, if any.</summary>
    private IReadOnlyDictionary<string, string>? Translation(string column)
    {
        foreach (var (field, formField) in _mapping.Fields)
        {
            if (string.Equals(formField, column, StringComparison.OrdinalIgnoreCase))
            {
                return _mapping.Values.GetValueOrDefault(field);
            }
        }
        return _mapping.Constants.ContainsKey(column) ? null : _mapping.Values.GetValueOrDefault(column);
    }

    /// <summary>
    /// Refuses a repeat group inside another repeat group: its rows name a row of the outer group, not a submission, and
    /// Kobo numbers both from 1, so joining them to submissions would give records to the wrong submission.
    /// </summary>
    /// <remarks>Kobo names the parent table of each repeat row (<c>_parent_table_name</c>); ODK Central's <c>PARENT_KEY</c>
    /// of a nested row is the outer row's key, which holds a <c>/</c> (<c>uuid:…/group[1]</c>), where a submission's does not.</remarks>
    private static void CheckOneLevel(SubmissionTable records, SubmissionTable submissions, bool odk, int childKey)
    {
        var parentTable = odk ? -1 : records.Column("_parent_table_name");
        foreach (var row in records.Rows)
        {
            var nested = odk
                ? row.Cells[childKey] is { } key && key.Contains('/', StringComparison.Ordinal)
                : parentTable >= 0 && row.Cells[parentTable] is { } table && !string.Equals(table, submissions.Name, StringComparison.OrdinalIgnoreCase);
            if (nested)
            {
                throw new DataFormatException(
                    $"The repeat group {records.Name} sits inside another repeat group (see {records.Locate(row.Number)}): only a repeat "
                    + "group placed directly in the form is read. Move the person's questions into a repeat group of the form itself.",
                    null, records.Name, null, null);
            }
        }
    }

    private static int Required(SubmissionTable table, string column) => table.Column(column) is var c and >= 0
        ? c
        : throw new DataFormatException(
            $"The export's {table.Name} has no {column} column, which joins a repeat group's rows to their submission: export with the repeat groups' keys (the default).",
            null, table.Name, null, null);
}
