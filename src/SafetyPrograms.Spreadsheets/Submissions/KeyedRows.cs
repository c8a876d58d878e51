namespace SafetyPrograms.Spreadsheets.Submissions;

/// <summary>What a key held by several rows of one table means.</summary>
internal enum RepeatedKey
{
    /// <summary>A copy of one submission, whatever the rows hold (Kobo's <c>_uuid</c>: a copy gets its own <c>_id</c>,
    /// <c>_index</c> and time, and nothing else is compared).</summary>
    Copy,

    /// <summary>Rows that cannot be told apart (Kobo's <c>_index</c>, one counter a sheet: a number twice is an error of the export).</summary>
    Ambiguous,

    /// <summary>
    /// ODK Central's <c>KEY</c>: rows whose answers are the same are copies of one submission sent again; rows whose
    /// answers differ are not a copy, and which one is meant cannot be told. The columns Central adds on receipt
    /// (<see cref="KeyedRows.OdkReceiptColumns"/>) differ between copies and are not compared.
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
    internal static readonly IReadOnlySet<string> OdkReceiptColumns = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState",
        "DeviceID", "Edits", "FormVersion",
    };

    private readonly Dictionary<string, Entry> _rows = new(StringComparer.Ordinal);

    /// <summary>A key's rows: the first, another (the second, or for an ambiguous key the first that differs), and whether the key is ambiguous.</summary>
    internal readonly record struct Entry(SubmissionRow First, SubmissionRow? Other, bool Ambiguous);

    /// <summary>Keys <paramref name="table"/>'s rows by <paramref name="keyColumn"/>; rows with no key are left out.</summary>
    internal KeyedRows(SubmissionTable table, int keyColumn, RepeatedKey repeated)
    {
        var compared = repeated == RepeatedKey.CopyIfSameAnswers
            ? Enumerable.Range(0, table.Columns.Count).Where(c => !OdkReceiptColumns.Contains(table.Columns[c])).ToArray()
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
                var differs = repeated switch
                {
                    RepeatedKey.Copy => false,
                    RepeatedKey.Ambiguous => true,
                    _ => !SameAnswers(held.First, row, compared),
                };
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
