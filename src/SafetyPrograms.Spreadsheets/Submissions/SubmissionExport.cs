using System.Globalization;
using SafetyPrograms.Spreadsheets.Reading;

namespace SafetyPrograms.Spreadsheets.Submissions;

/// <summary>A repeat group's table found by name, or why none could be: no table has the name, or several could.</summary>
internal readonly record struct TableLookup(SubmissionTable? Table, string? Problem);

/// <summary>
/// The tables of one data-collection export: the submissions' table, and the repeat groups' tables, found by the group's
/// name as the tool names them (a sheet of an XLSX export, a CSV file) and each read once, when first asked for.
/// </summary>
internal abstract class SubmissionExport : IDisposable
{
    private readonly Dictionary<string, SubmissionTable> _read = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The submissions' table: the first sheet, or the main CSV file.</summary>
    internal abstract SubmissionTable Submissions { get; }

    /// <summary>The table of the repeat group (or sheet, or file) <paramref name="name"/>.</summary>
    internal TableLookup Find(string name)
    {
        var candidates = Candidates(name);
        if (candidates.Count != 1)
        {
            return new(null, candidates.Count == 0 ? Missing(name) : Ambiguous(name, candidates));
        }
        var table = candidates[0];
        if (string.Equals(table, Submissions.Name, StringComparison.OrdinalIgnoreCase))
        {
            return new(Submissions, null);
        }
        if (!_read.TryGetValue(table, out var read))
        {
            _read[table] = read = Read(table);
        }
        return new(read, null);
    }

    /// <summary>The names of the tables that may be the group's (one, when it is found).</summary>
    protected abstract IReadOnlyList<string> Candidates(string name);

    /// <summary>Reads the table of that name, one of <see cref="Candidates"/>.</summary>
    protected abstract SubmissionTable Read(string table);

    /// <summary>Why no table is the group's.</summary>
    protected abstract string Missing(string name);

    /// <summary>Why the group's table cannot be told among several.</summary>
    protected abstract string Ambiguous(string name, IReadOnlyList<string> candidates);

    public virtual void Dispose()
    {
    }
}

/// <summary>
/// An XLSX export (KoboToolbox): the submissions on the first sheet, each repeat group on a sheet named after it, as
/// Kobo names sheets: characters Excel refuses in a sheet name become <c>_</c>, a name longer than Excel's 31 characters
/// is cut to 28 and ends in <c>...</c>, and a cut name that would repeat another ends in <c>... (1)</c>, <c>... (2)</c>.
/// </summary>
/// <remarks>
/// Read from KoboToolbox's export library, formpack (<c>src/formpack/utils/string.py</c>, <c>unique_name_for_xls</c>, used
/// by <c>Export.to_xlsx</c> to name each section's sheet), while <c>_parent_table_name</c> holds the section's own name,
/// uncut: so a long group name is matched against the cut names, and two groups whose names share their first 24
/// characters cannot be told apart from the export alone (the mapping's <c>parents</c> then names the sheets).
/// </remarks>
internal sealed class WorkbookExport(XlsxWorkbook workbook) : SubmissionExport
{
    private const int SheetNameLimit = 31;
    private const string Ellipsis = "...";
    private SubmissionTable? _submissions;

    internal override SubmissionTable Submissions => _submissions ??= SubmissionTable.FromSheet(workbook, null);

    protected override IReadOnlyList<string> Candidates(string name)
    {
        // A name given as the sheet is (a mapping may name the cut sheet) is that sheet.
        if (workbook.SheetNames.FirstOrDefault(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase)) is { } exact)
        {
            return [exact];
        }
        var clean = Clean(name);
        return [.. workbook.SheetNames.Where(sheet => Fits(sheet, clean))];
    }

    protected override SubmissionTable Read(string table) => SubmissionTable.FromSheet(workbook, table);

    protected override string Missing(string name) =>
        $"No sheet of the workbook is the repeat group {name}'s (its sheets are {string.Join(", ", workbook.SheetNames.Select(CellReference.Sheet))}).";

    protected override string Ambiguous(string name, IReadOnlyList<string> candidates) =>
        $"The repeat group {name}'s sheet could be any of {string.Join(", ", candidates.Select(CellReference.Sheet))} (Kobo cuts long group names to "
        + "Excel's 31 characters): name the sheets in the mapping's records and parents.";

    public override void Dispose()
    {
        workbook.Dispose();
        base.Dispose();
    }

    /// <summary>The name with the characters Excel refuses in a sheet name (and a leading or trailing quote) made <c>_</c>.</summary>
    private static string Clean(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is '[' or ']' or ':' or '*' or '?' or '/' or '\\' || chars[i] == '\'' && (i == 0 || i == chars.Length - 1))
            {
                chars[i] = '_';
            }
        }
        return new string(chars);
    }

    /// <summary>Whether Kobo could have named the sheet of a group of that (clean) name so: uncut, cut, or cut and numbered.</summary>
    private static bool Fits(string sheet, string clean)
    {
        if (clean.Length <= SheetNameLimit)
        {
            return string.Equals(sheet, clean, StringComparison.OrdinalIgnoreCase);
        }
        var suffix = Ellipsis;
        var open = sheet.LastIndexOf(Ellipsis + " (", StringComparison.Ordinal);
        if (open >= 0 && sheet.EndsWith(')') && int.TryParse(sheet.AsSpan(open + 5, sheet.Length - open - 6), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            suffix = sheet[open..];
        }
        return suffix.Length < SheetNameLimit
            && string.Equals(sheet, string.Concat(clean.AsSpan(0, SheetNameLimit - suffix.Length), suffix), StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>
/// A CSV export: the submissions' file and the repeat groups' files, by file name. ODK Central names a repeat group's
/// file <c>FORM-GROUP.csv</c> (<c>FORM-GROUP~1.csv</c>, <c>~2</c> when two groups share a name); a group is found by its
/// name (the file <c>GROUP.csv</c>, or one ending in <c>-GROUP.csv</c>) or by its file's name.
/// </summary>
/// <remarks>Read from ODK Central's export code (central-backend <c>lib/data/briefcase.js</c>, <c>addSubstreamsToArchive</c>).</remarks>
internal sealed class CsvExport(Stream submissions, string? fileName, IReadOnlyDictionary<string, Stream> files) : SubmissionExport
{
    private SubmissionTable? _submissions;

    internal override SubmissionTable Submissions => _submissions ??= SubmissionTable.FromCsv(submissions, fileName);

    protected override IReadOnlyList<string> Candidates(string name)
    {
        if (files.Keys.FirstOrDefault(f => string.Equals(Path.GetFileName(f), name, StringComparison.OrdinalIgnoreCase)) is { } exact)
        {
            return [exact];
        }
        return [.. files.Keys.Where(f => IsGroupFile(Path.GetFileName(f), name))];
    }

    protected override SubmissionTable Read(string table) => SubmissionTable.FromCsv(files[table], table);

    protected override string Missing(string name) =>
        files.Count == 0
            ? $"No CSV file of the repeat group {name} was given (ODK Central's FORM-{name}.csv)."
            : $"None of the CSV files given is the repeat group {name}'s (ODK Central's FORM-{name}.csv): {string.Join(", ", files.Keys)}.";

    protected override string Ambiguous(string name, IReadOnlyList<string> candidates) =>
        $"The repeat group {name}'s file could be any of {string.Join(", ", candidates)}: name the files in the mapping's records and parents.";

    private static bool IsGroupFile(string file, string group)
    {
        if (!file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var stem = file[..^4];
        var tilde = stem.LastIndexOf('~');
        if (tilde > 0 && stem.Length > tilde + 1 && stem.AsSpan(tilde + 1).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            stem = stem[..tilde];
        }
        return string.Equals(stem, group, StringComparison.OrdinalIgnoreCase)
            || stem.EndsWith("-" + group, StringComparison.OrdinalIgnoreCase);
    }
}
