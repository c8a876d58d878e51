using System.Globalization;
using DocumentFormat.OpenXml.Spreadsheet;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets.Reading;

namespace SafetyPrograms.Spreadsheets.Templates;

/// <summary>One list of codes for a drop-down: its heading, and each code with what it means (or, for a lookup list, what it maps to, under <see cref="MeaningHeading"/>).</summary>
internal sealed record CodeList(string Heading, IReadOnlyList<(string Code, string Meaning)> Entries, string MeaningHeading = "meaning")
{
    internal int Count => Entries.Count;
}

/// <summary>The code lists of a dataset, laid out side by side on the Codes sheet: two columns a list, code then meaning.</summary>
internal sealed class CodeLists
{
    private readonly List<CodeList> _lists = [];

    /// <summary>The lists of <paramref name="dataset"/>; with <paramref name="byPhase"/>, also each activity's phase and the cohorts of each phase, for a cohort list that follows the activity.</summary>
    internal CodeLists(ProgrammeDataset dataset, bool byPhase = false)
    {
        Activities = Add("activity", dataset.Activities.Select(a =>
            (a.Id.Value, string.Join(", ", new[] { a.Title, a.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), a.School?.Value }.Where(t => t is not null)))));
        Schools = Add("school", dataset.Schools.Select(s => (s.Id.Value, s.Name)));
        Cohorts = Add("cohort", dataset.Cohorts.Select(c =>
            (c.Id.Value, $"{Name(c.Role)}, {Name(c.Sex)}, {Name(c.AgeBand)}" + (c.School is { } school ? ", " + school.Value : ""))));
        Roles = Enum<BeneficiaryRole>("role");
        Sexes = Enum<Sex>("sex");
        AgeBands = Enum<AgeBand>("ageBand");
        Modes = Enum<DeliveryMode>("mode");
        Completed = Add("completed", [("true", "completed the activity"), ("false", "did not complete it")]);
        FunctioningAnswers = Enum<FunctioningAnswer>("functioning");
        FunctioningFrequencies = Enum<FunctioningFrequency>("functioning frequency");
        if (byPhase)
        {
            ActivityPhases = Add("activity of phase", dataset.Activities.Select(a => (a.Id.Value, a.Phase.Value)), "phase");
            // Grouped by phase (in the dataset's order within one), so that a phase's cohorts are one run of rows.
            CohortsByPhase = Add("cohort of phase", dataset.Cohorts.Select((c, i) => (c, i)).OrderBy(p => p.c.Phase.Value, StringComparer.Ordinal).ThenBy(p => p.i)
                .Select(p => (p.c.Id.Value, p.c.Phase.Value)), "phase");
        }
    }

    internal CodeList Activities { get; }

    internal CodeList Schools { get; }

    internal CodeList Cohorts { get; }

    internal CodeList Roles { get; }

    internal CodeList Sexes { get; }

    internal CodeList AgeBands { get; }

    internal CodeList Modes { get; }

    internal CodeList Completed { get; }

    /// <summary>The answers to a Washington Group functioning question, the list of every functioning domain's column.</summary>
    internal CodeList FunctioningAnswers { get; }

    /// <summary>The answers to the questions asked as a frequency (anxiety, depression).</summary>
    internal CodeList FunctioningFrequencies { get; }

    /// <summary>Each activity and its phase (with <c>byPhase</c>), or <c>null</c>.</summary>
    internal CodeList? ActivityPhases { get; }

    /// <summary>Each cohort and its phase, a phase's cohorts in one run of rows (with <c>byPhase</c>), or <c>null</c>.</summary>
    internal CodeList? CohortsByPhase { get; }

    /// <summary>The list headed by a participation column's name, for columns this template does not describe itself.</summary>
    internal CodeList? ForColumn(string column) => _lists.Find(l => l.Heading == column);

    /// <summary>The letter of the column holding <paramref name="list"/>'s codes on the Codes sheet.</summary>
    internal string ColumnOf(CodeList list) => CellReference.Column(2 * _lists.IndexOf(list));

    /// <summary>The letter of the column holding <paramref name="list"/>'s meanings (or mapped values) on the Codes sheet.</summary>
    internal string MeaningColumnOf(CodeList list) => CellReference.Column(2 * _lists.IndexOf(list) + 1);

    private CodeList Add(string heading, IEnumerable<(string, string)> entries, string meaningHeading = "meaning")
    {
        var list = new CodeList(heading, [.. entries], meaningHeading);
        _lists.Add(list);
        return list;
    }

    private CodeList Enum<TEnum>(string heading)
        where TEnum : struct, System.Enum =>
        Add(heading, EnumNames<TEnum>.Names.Select((name, i) => (name, Describe((TEnum)(object)i))));

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, System.Enum => EnumNames<TEnum>.NameOf(value);

    /// <summary>A member's meaning: its name split into words (<c>NotRecorded</c>: "not recorded").</summary>
    private static string Describe<TEnum>(TEnum value)
        where TEnum : struct, System.Enum
    {
        var text = value.ToString();
        var words = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (i > 0 && char.IsUpper(text[i]))
            {
                words.Append(' ');
            }
            words.Append(char.ToLowerInvariant(text[i]));
        }
        return words.ToString();
    }

    /// <summary>The Codes sheet: a heading pair a list, then its codes and meanings.</summary>
    internal Worksheet Sheet()
    {
        var rows = 1 + _lists.Max(l => l.Count);
        var data = new SheetData();
        for (var r = 0; r < rows; r++)
        {
            var row = new Row { RowIndex = (uint)r + 1 };
            for (var l = 0; l < _lists.Count; l++)
            {
                var list = _lists[l];
                if (r == 0)
                {
                    row.Append(TemplateStyles.Text(CellReference.Of(2 * l, 1), list.Heading, TemplateStyles.Header));
                    row.Append(TemplateStyles.Text(CellReference.Of(2 * l + 1, 1), list.MeaningHeading, TemplateStyles.Header));
                }
                else if (r <= list.Count)
                {
                    row.Append(TemplateStyles.Text(CellReference.Of(2 * l, r + 1), list.Entries[r - 1].Code, 0));
                    row.Append(TemplateStyles.Text(CellReference.Of(2 * l + 1, r + 1), list.Entries[r - 1].Meaning, 0));
                }
            }
            data.Append(row);
        }
        var columns = new Columns();
        for (var l = 0; l < _lists.Count; l++)
        {
            columns.Append(new Column { Min = (uint)(2 * l + 1), Max = (uint)(2 * l + 1), Width = 18, CustomWidth = true });
            columns.Append(new Column { Min = (uint)(2 * l + 2), Max = (uint)(2 * l + 2), Width = 30, CustomWidth = true });
        }
        return new Worksheet(columns, data);
    }
}
