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
/// submission (Kobo: <c>_parent_index</c> to <c>_index</c>; ODK Central: <c>PARENT_KEY</c> to <c>KEY</c>), through the
/// rows of the repeat groups it sits in when it sits in others (<see cref="SubmissionMapping.Parents"/>), so a record can
/// use its own fields (the person's sex and age), its parent rows' (the session's activity and date) and the
/// submission's. Append it with <c>ParticipationStore.Append(source, mapping.SourceOptions(keys))</c>, or report on it
/// with <c>DryRun</c>.
/// </summary>
/// <remarks>
/// <para>A submission sent again (the same <c>_uuid</c>, or <c>meta/instanceID</c> when the export has no <c>_uuid</c>, in
/// Kobo; the same <c>KEY</c>, its instanceID, in ODK) is read once: the records of every later copy, at any depth, are
/// refused with SP8018, so they are counted in the report and never twice in the store. Rows holding one id whose
/// answers differ are no copy: they are refused (SP8001, naming both rows, quoting no value), and so are the rows naming
/// them as their parent, never joined to either. The columns the tool adds on receipt are not compared: in Kobo
/// <c>_id</c>, <c>_index</c>, <c>_submission_time</c>, <c>_validation_status</c>, <c>_notes</c>, <c>_status</c>,
/// <c>_submitted_by</c>, <c>__version__</c>, <c>_tags</c>; in ODK Central <c>SubmissionDate</c>, <c>SubmitterID</c>,
/// <c>SubmitterName</c>, <c>AttachmentsPresent</c>, <c>AttachmentsExpected</c>, <c>Status</c>, <c>ReviewState</c>,
/// <c>DeviceID</c>, <c>Edits</c>, <c>FormVersion</c>. A repeat row that cannot be joined to one submission (its parent row missing, held twice in
/// Kobo, unreadable, or in another table than the chain's; a chain of groups that loops or names a group no sheet or file
/// is, or several could be), and a row that cannot be read (a cell of an XLSX export that holds an error value, a CSV
/// line with too many values), are refused (SP8001) with a message naming the place. Rows are located as the export
/// shows them: <c>participants!A5</c>, or <c>form-participants.csv line 5</c>.</para>
/// <para>The raw identifier (<see cref="SubmissionMapping.RawIdentifier"/>) is keyed as each row is read, with the
/// options' keys: it never reaches the store, the report or a message.</para>
/// <para>The export's tables are held whole while read (an export is of submissions); reads its streams once, when
/// appended, and does not close them. Not thread-safe.</para>
/// </remarks>
public sealed class SubmissionExportSource : ParticipationSource
{
    private readonly SubmissionMapping _mapping;
    private readonly Func<SubmissionExport> _open;
    private readonly string? _recordsFile;
    private SubmissionTable? _located;
    private IReadOnlyList<SubmissionTable>? _tables;
    private (int Table, int Column)[]? _sources;

    // The parents' rows of each record whose joined columns come from them, so that a value read from a parent names its
    // own cell. Written as rows are read and read by whoever reports on them (a validator reads on another thread).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long[]> _parentRows = new();

    private SubmissionExportSource(SubmissionMapping mapping, string? name, Func<SubmissionExport> open, string? recordsFile = null)
        : base(name)
    {
        _mapping = Preconditions.CheckNotNull(mapping);
        _open = open;
        _recordsFile = recordsFile;
    }

    /// <summary>An XLSX export: the submissions on the first sheet, each repeat group's rows on its own sheet (the records' named by <see cref="SubmissionMapping.Records"/>).</summary>
    /// <param name="mapping">How the export reads.</param>
    /// <param name="workbook">The .xlsx export; read when appended, not closed.</param>
    /// <param name="fileName">The file name, for the report and messages.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static SubmissionExportSource FromWorkbook(SubmissionMapping mapping, Stream workbook, string? fileName = null)
    {
        Preconditions.CheckNotNull(workbook);
        return new(mapping, fileName, () => new WorkbookExport(XlsxWorkbook.Open(workbook, fileName)));
    }

    /// <summary>A CSV export: the submissions' file and, when the mapping names a repeat group, that group's file (ODK Central's <c>FORM-GROUP.csv</c>).</summary>
    /// <param name="mapping">How the export reads.</param>
    /// <param name="submissions">The submissions' CSV (comma-separated, UTF-8); read when appended, not closed.</param>
    /// <param name="fileName">Its file name, for the report and messages.</param>
    /// <param name="records">The repeat group's CSV; required when <see cref="SubmissionMapping.Records"/> is set.</param>
    /// <param name="recordsFileName">Its file name.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mapping"/> or <paramref name="submissions"/> is null.</exception>
    /// <exception cref="ArgumentException">The mapping names a repeat group and no <paramref name="records"/> file is given,
    /// or names the groups it sits in (<see cref="SubmissionMapping.Parents"/>), whose files this overload cannot take.</exception>
    public static SubmissionExportSource FromCsv(
        SubmissionMapping mapping, Stream submissions, string? fileName = null, Stream? records = null, string? recordsFileName = null)
    {
        Preconditions.CheckNotNull(mapping);
        Preconditions.CheckNotNull(submissions);
        if (mapping.Records is not null && records is null)
        {
            throw new ArgumentException($"The mapping reads records from the repeat group '{mapping.Records}': give that group's CSV file too.", nameof(records));
        }
        if (mapping.Parents is { Count: > 0 })
        {
            throw new ArgumentException("The mapping's records sit in other repeat groups (parents): give every group's CSV file, by name.", nameof(records));
        }
        var name = recordsFileName ?? mapping.Records + ".csv";
        var files = records is null ? new Dictionary<string, Stream>() : new Dictionary<string, Stream> { [name] = records };
        return new(mapping, fileName, () => new CsvExport(submissions, fileName, files), records is null ? null : name);
    }

    /// <summary>
    /// A CSV export with repeat groups inside repeat groups: the submissions' file and the repeat groups' files by file name
    /// (ODK Central's <c>FORM-GROUP.csv</c>): the records' group's (<see cref="SubmissionMapping.Records"/>) and those of
    /// the groups it sits in (<see cref="SubmissionMapping.Parents"/>, or as each file's <c>PARENT_KEY</c> names them).
    /// </summary>
    /// <param name="mapping">How the export reads.</param>
    /// <param name="submissions">The submissions' CSV (comma-separated, UTF-8); read when appended, not closed.</param>
    /// <param name="fileName">Its file name, for the report and messages.</param>
    /// <param name="repeatGroups">The repeat groups' CSV files by file name (a group is found by the name ending in
    /// <c>-GROUP.csv</c>, or by its file's name); only the chain's are read, each once, and none is closed.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The mapping names no repeat group (<see cref="SubmissionMapping.Records"/>).</exception>
    public static SubmissionExportSource FromCsv(
        SubmissionMapping mapping, Stream submissions, string? fileName, IReadOnlyDictionary<string, Stream> repeatGroups)
    {
        Preconditions.CheckNotNull(mapping);
        Preconditions.CheckNotNull(submissions);
        Preconditions.CheckNotNull(repeatGroups);
        if (mapping.Records is null)
        {
            throw new ArgumentException("The mapping reads one record a submission (no records group): give only the submissions' file.", nameof(repeatGroups));
        }
        return new(mapping, fileName, () => new CsvExport(submissions, fileName, repeatGroups));
    }

    /// <summary>Where a record is, as the export shows it.</summary>
    /// <param name="rowNumber">The record's row (a sheet row, or a file line).</param>
    /// <returns>Such as <c>participants!A5</c> or <c>form-participants.csv line 5</c>.</returns>
    public override string Locate(long rowNumber) => _located?.Locate(rowNumber) ?? base.Locate(rowNumber);

    /// <summary>Where a value is, as the export shows it: the cell on the record's own sheet, or, for a column joined from a
    /// parent (the submission's date, say), the cell on the parent's sheet at the record's parent row.</summary>
    /// <param name="rowNumber">The record's row (a sheet row, or a file line).</param>
    /// <param name="column">The joined column at fault (a position in the columns the source names); a constant's column names the record's row.</param>
    /// <returns>Such as <c>participants!D5</c>, <c>attendance!C3</c> or <c>form-participants.csv line 5</c>.</returns>
    public override string Locate(long rowNumber, int column)
    {
        if (_tables is not { } tables || _sources is not { } sources || (uint)column >= (uint)sources.Length)
        {
            return Locate(rowNumber);
        }
        var (table, cell) = sources[column];
        return table == 0 ? tables[0].Locate(rowNumber, cell)
            : _parentRows.TryGetValue(rowNumber, out var parents) ? tables[table].Locate(parents[table - 1], cell)
            : Locate(rowNumber);
    }

    /// <inheritdoc/>
    protected internal override void ReadRows(ParticipationRowWriter rows, CancellationToken cancellationToken)
    {
        Preconditions.CheckNotNull(rows);
        using var export = _open();
        var submissions = export.Submissions;
        SubmissionTable? records = null;
        if ((_recordsFile ?? _mapping.Records) is { } recordsName)
        {
            var found = export.Find(recordsName);
            records = found.Table ?? throw new DataFormatException(found.Problem!, Name, recordsName, null, null);
        }
        var chain = records is null ? null : RepeatChain.Build(_mapping.Tool, export, records, _mapping.Parents);
        IReadOnlyList<SubmissionTable> tables = chain?.Tables ?? [submissions];
        _located = tables[0];
        _tables = tables;
        _parentRows.Clear();
        var odk = _mapping.Tool == SubmissionTool.Odk;
        var id = submissions.Column(odk ? "KEY" : "_uuid") is var key and >= 0 ? key : submissions.Column(odk ? "meta-instanceID" : "meta/instanceID");

        // The joined columns: the record's own, then each parent's it does not have (the nearest first), then one a constant.
        var named = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var sources = new List<(int Table, int Column)>();
        for (var t = 0; t < tables.Count; t++)
        {
            for (var c = 0; c < tables[t].Columns.Count; c++)
            {
                if (named.Add(tables[t].Columns[c]))
                {
                    sources.Add((t, c));
                }
            }
        }
        // A broken chain reaches no parent's columns: the form fields stand in, empty, since every record is refused, saying why.
        string[] unreached = chain?.IsBroken == true
            ? [.. _mapping.Fields.Values.Append(_mapping.RawIdentifier).OfType<string>().Where(named.Add)]
            : [];
        var constants = _mapping.Constants.ToArray();
        List<string> columns = [.. sources.Select(s => tables[s.Table].Columns[s.Column]), .. unreached, .. constants.Select(c => c.Key)];
        var translate = columns.Select(Translation).ToArray();
        _sources = [.. sources];
        var joined = sources.Any(s => s.Table > 0);
        rows.SetColumns(columns);

        // Each submission once: a later copy (same id) is refused; rows of one id whose answers differ are no copy.
        var sent = id >= 0 ? new KeyedRows(submissions, id, RepeatedKey.CopyIfSameAnswers, _mapping.Tool) : null;
        // ODK Central gives each repeat row its own KEY: a copy of a re-sent submission's rows repeats them.
        var recordId = records is null || !odk ? -1 : records.Column("KEY");
        var recordKeys = recordId >= 0 ? new KeyedRows(records!, recordId, RepeatedKey.CopyIfSameAnswers, _mapping.Tool) : null;
        var path = new SubmissionRow[tables.Count];
        foreach (var row in tables[0].Rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows.BeginRow(row.Number);
            path[0] = row;
            var unjoined = row.Problem is null && chain is not null ? chain.Resolve(row, path) : null;
            var parent = path[^1];
            if (row.Problem is { } problem)
            {
                rows.RefuseRow(problem);
            }
            else if (unjoined is not null)
            {
                rows.RefuseRow(unjoined);
            }
            else if (Repeated(recordKeys, recordId, row) is { } copies)
            {
                RefuseRepeated(rows, copies, row, records!, "The row", "KEY");
            }
            else if (Repeated(sent, id, parent) is { } resent)
            {
                RefuseRepeated(rows, resent, parent, submissions, $"Its submission, at {submissions.Locate(parent.Number)},", submissions.Columns[id]);
            }
            else
            {
                if (joined)
                {
                    _parentRows[row.Number] = [.. path.Skip(1).Select(p => p.Number)];
                }
                var c = 0;
                foreach (var (table, column) in sources)
                {
                    Set(rows, c, path[table].Cells[column], translate[c++]);
                }
                c += unreached.Length;
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

    /// <summary>The rows sharing <paramref name="row"/>'s key when it is not simply the first of them (a later copy, or one of rows that differ); otherwise <c>null</c>.</summary>
    private static KeyedRows.Entry? Repeated(KeyedRows? keyed, int column, SubmissionRow row) =>
        keyed is not null && row.Cells[column] is { } key && keyed.TryGet(key, out var entry) && (entry.Ambiguous || !ReferenceEquals(entry.First, row))
            ? entry
            : null;

    /// <summary>
    /// Refuses the record under <paramref name="holder"/>, a row of <paramref name="table"/> whose key is held again: as
    /// ambiguous (SP8001, naming another row holding it) when those rows differ, else as a copy sent again (SP8018).
    /// </summary>
    private static void RefuseRepeated(
        ParticipationRowWriter rows, KeyedRows.Entry holders, SubmissionRow holder, SubmissionTable table, string subject, string keyColumn)
    {
        if (holders.Ambiguous)
        {
            var other = ReferenceEquals(holders.First, holder) ? holders.Other! : holders.First;
            rows.RefuseRow($"{subject} has the same {keyColumn} as the one at {table.Locate(other.Number)}, and their answers differ: "
                + "they are no copy of one submission sent again, and which one is meant cannot be told.");
        }
        else
        {
            rows.RefuseRow(ValidationRules.SubmissionSentAgain, $"{subject} was sent again: it repeats the one at {table.Locate(holders.First.Number)}, which is counted.");
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
}
