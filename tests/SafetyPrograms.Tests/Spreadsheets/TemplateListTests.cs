using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets;
using SafetyPrograms.Spreadsheets.Reading;

namespace SafetyPrograms.Tests.Spreadsheets;

/// <summary>
/// Each drop-down of the templates checked against what the import accepts: every code a list offers is accepted, and
/// the list offers every code the import reads (the decoders' own vocabularies, the dataset's ids); the summary
/// attendance cohort list offers, for each activity, exactly the cohorts the import accepts with it (its phase's).
/// </summary>
public sealed partial class TemplateListTests
{
    private static ProgrammeDataset Dataset() => RepositoryPaths.SampleDataset();

    /// <summary>The sample with cohorts of three phases, interleaved (the sample's are all of one phase).</summary>
    private static ProgrammeDataset ThreePhases() => ExtremeSample.Dataset(root =>
    {
        var cohorts = root["cohorts"]!.AsArray();
        var copies = new List<System.Text.Json.Nodes.JsonNode>();
        foreach (var (cohort, i) in cohorts.Select((c, i) => (c!, i)))
        {
            foreach (var phase in new[] { "ph-cop-1", "ph-ds-2" })
            {
                var copy = cohort.DeepClone();
                copy["id"] = $"{cohort["id"]}-{phase}";
                copy["phase"] = phase;
                copies.Add(copy);
            }
        }
        var all = cohorts.Select(c => c!.DeepClone()).ToList();
        cohorts.Clear();
        for (var i = 0; i < Math.Max(all.Count, copies.Count); i++)
        {
            foreach (var node in new[] { i < copies.Count ? copies[i] : null, i < all.Count ? all[i] : null }.OfType<System.Text.Json.Nodes.JsonNode>())
            {
                cohorts.Add(node);
            }
        }
    });

    /// <summary>The data sheet's validations by column name, and the Codes sheet's cells by reference (such as <c>E7</c>).</summary>
    private static (Dictionary<string, DataValidation> Validations, Dictionary<string, string> Codes) Read(byte[] workbook)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(workbook), false);
        var part = document.WorkbookPart!;
        var sheets = part.Workbook!.Sheets!.Elements<Sheet>().ToList();
        var data = (WorksheetPart)part.GetPartById(sheets[0].Id!);
        var header = data.Worksheet!.Descendants<Row>().First().Elements<Cell>().Select(c => c.InnerText).ToList();
        var validations = data.Worksheet.Descendants<DataValidation>()
            .ToDictionary(v => header[Column(v.SequenceOfReferences!.InnerText!.Split(':')[0])]);
        var codes = ((WorksheetPart)part.GetPartById(sheets.Single(s => s.Name == SpreadsheetTemplates.CodesSheet).Id!)).Worksheet!
            .Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!, c => c.InnerText);
        return (validations, codes);
    }

    private static int Column(string reference)
    {
        Assert.True(CellReference.TryParse(reference, out var column, out _));
        return column;
    }

    /// <summary>The cells of one Codes column from row <paramref name="first"/> to <paramref name="last"/>.</summary>
    private static List<string> Cells(Dictionary<string, string> codes, string column, int first, int last) =>
        [.. Enumerable.Range(first, last - first + 1).Select(r => codes.GetValueOrDefault(column + r, ""))];

    [GeneratedRegex(@"^Codes!\$([A-Z]+)\$2:\$\1\$(\d+)$")]
    private static partial Regex PlainList();

    /// <summary>The codes a plain list validation offers.</summary>
    private static List<string> Offered(DataValidation validation, Dictionary<string, string> codes)
    {
        var match = PlainList().Match(validation.Formula1!.Text);
        Assert.True(match.Success, validation.Formula1.Text);
        return Cells(codes, match.Groups[1].Value, 2, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ParticipationTemplate_EveryListOffersWhatTheImportAccepts_AndEveryCodeOfferedIsAccepted()
    {
        var dataset = Dataset();
        var bytes = new MemoryStream();
        SpreadsheetTemplates.WriteParticipationRecords(bytes, dataset);
        var (validations, codes) = Read(bytes.ToArray());

        var lists = validations.Where(v => v.Value.Type!.Value == DataValidationValues.List).ToDictionary(v => v.Key, v => Offered(v.Value, codes));
        // The decoders' vocabularies and the dataset's ids: what the import reads in each coded column.
        Assert.Equal(dataset.Activities.Select(a => a.Id.Value), lists["activity"]);
        Assert.Equal(dataset.Schools.Select(s => s.Id.Value), lists["school"]);
        Assert.Equal(EnumNames<BeneficiaryRole>.Names, lists["role"]);
        Assert.Equal(EnumNames<Sex>.Names, lists["sex"]);
        Assert.Equal(EnumNames<AgeBand>.Names, lists["ageBand"]);
        Assert.Equal(EnumNames<DeliveryMode>.Names, lists["mode"]);
        Assert.Equal(["true", "false"], lists["completed"]);
        foreach (var domain in Enum.GetValues<FunctioningDomain>())
        {
            // Anxiety and depression are asked as a frequency; every other domain as a difficulty.
            Assert.Equal(
                FunctioningAnswers.IsAskedAsFrequency(domain) ? EnumNames<FunctioningFrequency>.Names : EnumNames<FunctioningAnswer>.Names,
                lists[EnumNames<FunctioningDomain>.NameOf(domain)]);
        }
        Assert.Equal(
            ["activity", "role", "sex", "ageBand", "mode", "completed", "school", .. EnumNames<FunctioningDomain>.Names],
            lists.Keys.OrderBy(k => ParticipationCsv.Columns.ToList().IndexOf(k)));

        // Every code offered, put in a row that is otherwise accepted, is accepted.
        var columns = ParticipationCsv.Columns.ToList();
        var activity = dataset.Activities.First(a => a.School is not null);
        string[] Row(string column, string code)
        {
            var row = new string[columns.Count];
            Array.Fill(row, "");
            (row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7]) =
                ("k-1", activity.Id.Value, activity.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "student", "female", "10-14", "inPerson", "true");
            if (column == "activity")
            {
                var a = dataset.Activities.First(a => a.Id.Value == code);
                row[2] = a.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            }
            if (column == "school")
            {
                // A school is accepted at an activity of its own (or of a phase it is enrolled in): the list offers every known school.
                var at = dataset.Activities.FirstOrDefault(a => a.School?.Value == code);
                if (at is null)
                {
                    return [];
                }
                (row[1], row[2]) = (at.Id.Value, at.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            }
            row[columns.IndexOf(column)] = code;
            return row;
        }
        foreach (var (column, offered) in lists)
        {
            var csv = new StringBuilder(string.Join(",", columns)).Append('\n');
            var rows = offered.Select(code => Row(column, code)).Where(r => r.Length > 0).ToList();
            foreach (var row in rows)
            {
                csv.Append(string.Join(",", row)).Append('\n');
            }
            var report = new ParticipationStore(dataset).AppendCsv(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), column + ".csv");
            Assert.True(report.Rejected == 0, $"{column}: {string.Join("; ", report.Rejects.Take(3))}");
            Assert.Equal(rows.Count, report.Accepted);
            Assert.True(rows.Count > 0, column);
        }
    }

    [GeneratedRegex(
        @"^IF\(\$A2="""",Codes!\$([A-Z]+)\$2:\$\1\$(\d+),OFFSET\(Codes!\$([A-Z]+)\$1,MATCH\((VLOOKUP\(\$A2,Codes!\$([A-Z]+)\$2:\$([A-Z]+)\$(\d+),2,FALSE\)),Codes!\$([A-Z]+)\$1:\$\8\$(\d+),0\)-1,0,COUNTIF\(Codes!\$\8\$2:\$\8\$\9,\4\),1\)\)$")]
    private static partial Regex CohortOfActivityPhase();

    [Fact]
    public void AttendanceTemplate_CohortList_FollowsTheActivity_OfferingExactlyWhatTheImportAccepts()
    {
        var dataset = ThreePhases();
        Assert.True(dataset.Cohorts.Select(c => c.Phase).Distinct().Count() > 1, "the sample needs cohorts of several phases");
        var bytes = new MemoryStream();
        SpreadsheetTemplates.WriteSummaryAttendance(bytes, dataset);
        var (validations, codes) = Read(bytes.ToArray());

        Assert.Equal(dataset.Activities.Select(a => a.Id.Value), Offered(validations["activity"], codes));
        var formula = validations["cohort"].Formula1!.Text;
        Assert.True(formula.Length <= 255, "Excel refuses a list source longer than 255 characters");
        var parts = CohortOfActivityPhase().Match(formula);
        Assert.True(parts.Success, formula);
        var g = parts.Groups;
        int Number(int group) => int.Parse(g[group].Value, System.Globalization.CultureInfo.InvariantCulture);
        // With no activity yet: every cohort.
        Assert.Equal(dataset.Cohorts.Select(c => c.Id.Value), Cells(codes, g[1].Value, 2, Number(2)));
        // With an activity: VLOOKUP finds its phase, MATCH the first row of that phase, COUNTIF its rows, OFFSET takes them.
        var activities = Cells(codes, g[5].Value, 2, Number(7));
        var phases = Cells(codes, g[6].Value, 2, Number(7));
        var cohortColumn = Cells(codes, g[3].Value, 1, Number(9));
        var phaseColumn = Cells(codes, g[8].Value, 1, Number(9));
        List<string> Offers(string activity)
        {
            var phase = phases[activities.IndexOf(activity)];
            var first = phaseColumn.IndexOf(phase);
            var count = phaseColumn.Skip(1).Count(p => p == phase);
            return first < 0 ? [] : cohortColumn.GetRange(first, count);
        }

        // One activity of each phase, with every cohort: accepted exactly when offered.
        var picked = dataset.Activities.GroupBy(a => a.Phase).Select(p => p.First()).ToList();
        var csv = new StringBuilder("activity,cohort,count\n");
        var expected = new List<bool>();
        foreach (var activity in picked)
        {
            var offered = Offers(activity.Id.Value);
            foreach (var cohort in dataset.Cohorts)
            {
                csv.Append(activity.Id.Value).Append(',').Append(cohort.Id.Value).Append(",3\n");
                expected.Add(offered.Contains(cohort.Id.Value));
            }
        }
        var report = SummaryAttendanceImport.FromCsv(dataset, new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "pairs.csv").Report;
        var refusedLines = report.Rejects.Select(r => int.Parse(r.Location!.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal(expected.Count, report.Read);
        Assert.Equal(expected, expected.Select((_, i) => !refusedLines.Contains(i + 2)));
        Assert.All(report.Rejects, r => Assert.Equal("SP1110", r.Code));
        Assert.True(expected.Contains(true) && expected.Contains(false));
    }
}
