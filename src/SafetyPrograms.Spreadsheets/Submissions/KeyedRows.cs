namespace SafetyPrograms.Spreadsheets.Submissions;

/// <summary>What a key held by several rows of one table means.</summary>
internal enum RepeatedKey
{
    /// <summary>Rows that cannot be told apart (Kobo's <c>_index</c>, one counter a sheet: a number twice is an error of the export).</summary>
    Ambiguous,

    /// <summary>
    /// A submission's id (Kobo's <c>_uuid</c> or <c>meta/instanceID</c>, ODK Central's <c>KEY</c>): rows whose answers are
    /// the same are copies of one submission sent again; rows whose answers differ are not a copy, and which one is meant
    /// cannot be told. The columns the tool adds on receipt (<see cref="KeyedRows.ReceiptColumns"/>) differ between
    /// copies and are not compared.
    /// </summary>
    CopyIfSameAnswers,
}

/// <summary>
/// The rows of an export table by a key column, each key with its first row and, when the key is held again, whether the
/// rows holding it are copies of one (a re-sent submission: the first is read, the others counted once) or cannot be told
/// apart (rows naming the key are refused): the one decision every join and every re-sent check of an export follows.
/// </summary>
internal sealed class KeyedRows
{
    /// <summary>The columns ODK Central adds to a submission on receipt (central-backend <c>lib/data/briefcase.js</c>):
    /// a copy sent again differs in them, never in its answers.</summary>
    private static readonly IReadOnlySet<string> s_odkReceiptColumns = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState",
        "DeviceID", "Edits", "FormVersion",
    };

    /// <summary>The columns KoboToolbox adds to a submission on receipt and writes after the form's fields in an export (kpi's
    /// export tests, <c>kpi/tests/test_mock_data_exports.py</c>): the server's row id and counter, the time received, the
    /// reviewers' status, notes and tags, who sent it and under which form version. A copy sent again differs in them,
    /// never in its answers (<c>start</c>, <c>end</c> and <c>meta/instanceID</c> are the device's, and are compared).</summary>
    private static readonly IReadOnlySet<string> s_koboReceiptColumns = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "_id", "_index", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags",
    };

    /// <summary>The columns <paramref name="tool"/> adds to a submission on receipt, which a copy sent again may differ in.</summary>
    internal static IReadOnlySet<string> ReceiptColumns(SubmissionTool tool) => tool == SubmissionTool.Odk ? s_odkReceiptColumns : s_koboReceiptColumns;

    private readonly Dictionary<string, Entry> _rows = new(StringComparer.Ordinal);

    /// <summary>A key's rows: the first, another (the second, or for an ambiguous key the first that differs), and whether the key is ambiguous.</summary>
    internal readonly record struct Entry(SubmissionRow First, SubmissionRow? Other, bool Ambiguous);

    /// <summary>Keys <paramref name="table"/>'s rows, of an export of <paramref name="tool"/>, by <paramref name="keyColumn"/>; rows with no key are left out.</summary>
    internal KeyedRows(SubmissionTable table, int keyColumn, RepeatedKey repeated, SubmissionTool tool)
    {
        var receipt = ReceiptColumns(tool);
        var compared = repeated == RepeatedKey.CopyIfSameAnswers
            ? Enumerable.Range(0, table.Columns.Count).Where(c => !receipt.Contains(table.Columns[c])).ToArray()
            : [];
        foreach (var row in table.Rows)
        {
            if (row.Cells[keyColumn] is not { } key)
            {
                continue;
            }
            if (!_rows.TryGetValue(key, out var held))
            {
                _rows[key] = new Entry(row, null, false);
            }
            else if (!held.Ambiguous)
            {
                var differs = repeated == RepeatedKey.Ambiguous || !SameAnswers(held.First, row, compared);
                _rows[key] = differs ? new Entry(held.First, row, true) : held with { Other = held.Other ?? row };
            }
        }
    }

    /// <summary>The rows holding <paramref name="key"/>.</summary>
    internal bool TryGet(string key, out Entry entry) => _rows.TryGetValue(key, out entry);

    private static bool SameAnswers(SubmissionRow a, SubmissionRow b, int[] compared)
    {
        if (!string.Equals(a.Problem, b.Problem, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var c in compared)
        {
            if (!string.Equals(a.Cells[c], b.Cells[c], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
