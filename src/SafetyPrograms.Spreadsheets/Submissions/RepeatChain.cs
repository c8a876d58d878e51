using SafetyPrograms.Serialization;

namespace SafetyPrograms.Spreadsheets.Submissions;

/// <summary>
/// How the rows of a repeat group reach their submission: the chain of tables from the records' group, through the
/// repeat groups it sits in, to the submissions, and for each record row, its row in each of them.
/// </summary>
/// <remarks>
/// <para>Kobo: a repeat row's <c>_parent_index</c> is its parent row's <c>_index</c>, and <c>_index</c> counts the rows of
/// one sheet from 1 across the whole export (formpack's <c>Export.reset</c> starts one counter a section at 1, and
/// <c>format_one_submission</c> gives a row its section's counter, its children the parent section's), so a number means
/// a row only together with the sheet it names (<c>_parent_table_name</c>): joined to the submissions' <c>_index</c>, a
/// nested group's rows would land on the wrong submission. Two rows of a sheet with one <c>_index</c> cannot be told
/// apart: rows naming it are refused.</para>
/// <para>ODK Central: a repeat row's <c>PARENT_KEY</c> is its parent repeat row's <c>KEY</c> (<c>uuid:…/sessions[2]</c>),
/// or the instanceID when the group sits directly in the form (central-backend <c>lib/data/briefcase.js</c>,
/// <c>keyForStacks</c> and <c>parentKeyForStacks</c>), so the last <c>name[n]</c> of a <c>PARENT_KEY</c> names the
/// parent's group. Keys start with the instanceID, so a submission sent again repeats every key of its rows: a key
/// held twice by rows with the same answers is a copy, and the first row is the one joined; rows with one key whose
/// answers differ are no copy, and rows naming that key are refused (<see cref="KeyedRows"/> decides).</para>
/// <para>The chain is the mapping's (<see cref="SubmissionMapping.Parents"/>), or read from the export: from each table's
/// first row naming its parent. A chain that cannot be built (a group no table is, or several could be, or a loop) refuses
/// every record, saying why and where; a row that leaves the chain (an orphan, an ambiguous parent, a Kobo row naming
/// another parent table, an unreadable parent) is refused saying where. No row is dropped.</para>
/// </remarks>
internal sealed class RepeatChain
{
    private readonly SubmissionTool _tool;
    private readonly List<SubmissionTable> _tables;
    private readonly List<Link> _links = [];
    private readonly SubmissionExport _export;
    private readonly string? _broken;

    /// <summary>One step up the chain: the child table's parent columns, and its parent table's rows by key.</summary>
    private sealed record Link(int ParentKey, int ParentTable, KeyedRows Parents);

    private RepeatChain(SubmissionTool tool, SubmissionExport export, List<SubmissionTable> tables, string? broken)
    {
        _tool = tool;
        _export = export;
        _tables = tables;
        _broken = broken;
        for (var i = 0; broken is null && i + 1 < tables.Count; i++)
        {
            var child = tables[i];
            var parent = tables[i + 1];
            var parents = new KeyedRows(parent, Required(parent, KeyColumn), tool == SubmissionTool.Odk ? RepeatedKey.CopyIfSameAnswers : RepeatedKey.Ambiguous, tool);
            _links.Add(new Link(Required(child, ParentKeyColumn), tool == SubmissionTool.Kobo ? child.Column("_parent_table_name") : -1, parents));
        }
    }

    /// <summary>Whether the chain could not be built, so that every record is refused (<see cref="Resolve"/> says why).</summary>
    internal bool IsBroken => _broken is not null;

    /// <summary>The tables, from the records' to the submissions'.</summary>
    internal IReadOnlyList<SubmissionTable> Tables => _tables;

    private string KeyColumn => _tool == SubmissionTool.Odk ? "KEY" : "_index";

    private string ParentKeyColumn => _tool == SubmissionTool.Odk ? "PARENT_KEY" : "_parent_index";

    /// <summary>The chain from <paramref name="records"/> to the export's submissions: through <paramref name="parents"/> (outermost first), or read from the export.</summary>
    /// <exception cref="DataFormatException">A table of the chain lacks the column that joins it (<c>_index</c>, <c>_parent_index</c>, <c>KEY</c>, <c>PARENT_KEY</c>).</exception>
    internal static RepeatChain Build(SubmissionTool tool, SubmissionExport export, SubmissionTable records, IReadOnlyList<string>? parents)
    {
        var submissions = export.Submissions;
        List<SubmissionTable> tables = [records];
        string? broken = null;
        if (parents is not null)
        {
            for (var i = parents.Count - 1; i >= 0 && broken is null; i--)
            {
                var found = export.Find(parents[i]);
                broken = found.Problem ?? (tables.Contains(found.Table!) || found.Table == submissions
                    ? $"The mapping's parents name {parents[i]}, which is {found.Table!.Name}, a table already in the chain."
                    : null);
                if (broken is null)
                {
                    tables.Add(found.Table!);
                }
            }
        }
        else
        {
            while (broken is null && NamedParent(tool, tables[^1], out var at) is { } name)
            {
                var found = export.Find(name);
                if (found.Problem is { } problem)
                {
                    broken = $"{problem} (the parent named at {tables[^1].Locate(at)})";
                }
                else if (found.Table == submissions)
                {
                    break;
                }
                else if (tables.Contains(found.Table!))
                {
                    broken = $"The repeat groups' parents loop: {string.Join(" → ", tables.Select(t => t.Name))} → {found.Table!.Name} "
                        + $"({tables[^1].Locate(at)} names {found.Table.Name} as its parent).";
                }
                else
                {
                    tables.Add(found.Table!);
                }
            }
        }
        if (broken is not null)
        {
            tables = [records];
        }
        tables.Add(submissions);
        return new RepeatChain(tool, export, tables, broken);
    }

    /// <summary>The parent group the first row of a table naming one names (<c>null</c>: the submissions), and that row.</summary>
    private static string? NamedParent(SubmissionTool tool, SubmissionTable table, out long at)
    {
        at = 0;
        var column = table.Column(tool == SubmissionTool.Odk ? "PARENT_KEY" : "_parent_table_name");
        foreach (var row in column < 0 ? [] : table.Rows)
        {
            if (row.Problem is null && row.Cells[column] is { } named)
            {
                at = row.Number;
                return tool == SubmissionTool.Odk ? GroupOf(named) : named;
            }
        }
        return null;
    }

    /// <summary>The repeat group an ODK key's row belongs to: its last <c>name[n]</c>; <c>null</c> for an instanceID.</summary>
    private static string? GroupOf(string key)
    {
        var segments = key.Split('/');
        for (var i = segments.Length - 1; i > 0; i--)
        {
            var s = segments[i];
            var open = s.LastIndexOf('[');
            if (open > 0 && s.EndsWith(']'))
            {
                return s[..open];
            }
        }
        return null;
    }

    /// <summary>
    /// Fills <paramref name="path"/> with the record's row in each table of the chain (the record, its parents, its
    /// submission last), or says why it cannot be joined.
    /// </summary>
    /// <returns><c>null</c>, or why the record is refused (a sentence naming the place, quoting no value).</returns>
    internal string? Resolve(SubmissionRow record, SubmissionRow[] path)
    {
        if (_broken is not null)
        {
            return "The row cannot be joined to its submission: " + _broken;
        }
        path[0] = record;
        for (var i = 0; i < _links.Count; i++)
        {
            var (child, parent, link, row) = (_tables[i], _tables[i + 1], _links[i], path[i]);
            var subject = i == 0 ? "The row" : $"Its parent row, at {child.Locate(row.Number)},";
            if (link.ParentTable >= 0 && row.Cells[link.ParentTable] is { } named && _export.Find(named).Table != parent)
            {
                return $"{subject} names another parent table (_parent_table_name) than {parent.Name}, where the chain goes: "
                    + "its _parent_index cannot be read against that sheet.";
            }
            var column = child.Columns[link.ParentKey];
            if (row.Cells[link.ParentKey] is not { } key)
            {
                return $"{subject} has no {column}: it names no parent row.";
            }
            var what = i + 2 == _tables.Count ? $"a submission ({column}) that the export's {parent.Name}" : $"a parent row ({column}) that {parent.Name}";
            if (!link.Parents.TryGet(key, out var found))
            {
                return $"{subject} names {what} does not hold.";
            }
            if (found.Ambiguous)
            {
                var differ = _tool == SubmissionTool.Odk ? " and differ in their answers, so they are no copy of one submission" : "";
                return $"{subject} names {what} holds twice ({parent.Locate(found.First.Number)} and {parent.Locate(found.Other!.Number)} have the same {KeyColumn}{differ}): "
                    + "which one is meant cannot be told.";
            }
            if (found.First.Problem is { } problem)
            {
                return i + 2 == _tables.Count
                    ? $"Its submission, at {parent.Locate(found.First.Number)}, cannot be read: {problem}"
                    : $"Its parent row, at {parent.Locate(found.First.Number)}, cannot be read: {problem}";
            }
            path[i + 1] = found.First;
        }
        return null;
    }

    private static int Required(SubmissionTable table, string column) => table.Column(column) is var c and >= 0
        ? c
        : throw new DataFormatException(
            $"The export's {table.Name} has no {column} column, which joins a repeat group's rows to their parent: export with the repeat groups' keys (the default).",
            null, table.Name, null, null);
}
