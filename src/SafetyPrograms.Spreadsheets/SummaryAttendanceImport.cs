using System.Globalization;
using SafetyPrograms.Domain;
using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets.Reading;
using SafetyPrograms.Spreadsheets.Submissions;
using SafetyPrograms.Utility;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Spreadsheets;

/// <summary>
/// Summary attendance (how many of a cohort attended an activity, for partners who do not track people) read from the
/// workbook <see cref="SpreadsheetTemplates.WriteSummaryAttendance"/> writes, or from a CSV file with the same columns
/// (<see cref="SpreadsheetTemplates.AttendanceColumns"/>: <c>activity</c>, <c>cohort</c>, <c>count</c>), into the
/// dataset's activities (<see cref="Activity.Attendance"/>), which <c>AttendanceSummary</c> and attendance targets count.
/// </summary>
/// <remarks>
/// <para>Every row read is accepted or refused, and counted under its rule's code in <see cref="Report"/>, located as its
/// source shows it (<c>Attendance!B7</c> for the cohort of sheet row 7, <c>attendance.csv line 7</c>): an unreadable row
/// or cell (SP8001), an activity not in the dataset (SP8002), a cohort not in the dataset (SP1105) or of another phase
/// than the activity's (SP1110), a count that is not a whole number from 0 (SP3001), and a second row for the same
/// activity and cohort (SP8019; the first is read). Blank rows are skipped and not counted.</para>
/// <para>An accepted row sets the figure for its activity and cohort: it replaces the figure the dataset held for that
/// pair, or is added after the activity's others, so importing the same file twice gives the same dataset. A dry run is
/// the <see cref="Report"/> without using <see cref="Dataset"/>.</para>
/// <para>The file is refused whole (<see cref="DataFormatException"/>) when it is not a workbook (or not CSV), has no
/// header, or its header does not name exactly the three columns (in any order, ignoring case). The table is held whole:
/// a summary has a row per activity and cohort, not per person. Immutable and thread-safe once made.</para>
/// </remarks>
public sealed class SummaryAttendanceImport
{
    private SummaryAttendanceImport(ProgrammeDataset dataset, IngestReport report)
    {
        Dataset = dataset;
        Report = report;
    }

    /// <summary>The dataset with the accepted figures set on its activities (the one given, when none was accepted).</summary>
    public ProgrammeDataset Dataset { get; }

    /// <summary>What was read: rows read = accepted + rejected, the rejects by code and location.</summary>
    public IngestReport Report { get; }

    /// <summary>Reads the summary attendance sheet of a workbook.</summary>
    /// <param name="dataset">The dataset whose activities and cohorts the rows name.</param>
    /// <param name="workbook">The .xlsx file; read now, not closed.</param>
    /// <param name="fileName">The file name, for the report and messages.</param>
    /// <param name="sheet">The worksheet (compared ignoring case), or <c>null</c> for the first.</param>
    /// <returns>The dataset with the figures, and the report.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="DataFormatException">The file is not a readable workbook, the sheet is missing, or its header does not fit.</exception>
    public static SummaryAttendanceImport FromWorkbook(ProgrammeDataset dataset, Stream workbook, string? fileName = null, string? sheet = null)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(workbook);
        using var book = XlsxWorkbook.Open(workbook, fileName);
        return Read(dataset, SubmissionTable.FromSheet(book, sheet), fileName);
    }

    /// <summary>Reads summary attendance from a CSV file (comma-separated, UTF-8, a header row naming the three columns).</summary>
    /// <param name="dataset">The dataset whose activities and cohorts the rows name.</param>
    /// <param name="csv">The file; read now, not closed.</param>
    /// <param name="fileName">The file name, for the report and messages.</param>
    /// <returns>The dataset with the figures, and the report.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="DataFormatException">The file is empty or its header does not fit.</exception>
    public static SummaryAttendanceImport FromCsv(ProgrammeDataset dataset, Stream csv, string? fileName = null)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(csv);
        return Read(dataset, SubmissionTable.FromCsv(csv, fileName), fileName);
    }

    private static SummaryAttendanceImport Read(ProgrammeDataset dataset, SubmissionTable table, string? fileName)
    {
        var columns = Columns(table, fileName);
        // A reject's column is one of the three (the cell at fault) or "$" (the row, at its first cell).
        var report = new IngestReportBuilder(fileName, RowLocator.Of((n, path) => table.Locate(n, path is not null && Position(path) is >= 0 and var c ? columns[c] : 0)));
        // A dataset with a repeated id (SP1001, found by validation) resolves to the first, as the rest of the library does.
        var activities = new Dictionary<string, Activity>(StringComparer.Ordinal);
        foreach (var a in dataset.Activities)
        {
            activities.TryAdd(a.Id.Value, a);
        }
        var cohorts = new Dictionary<string, Cohort>(StringComparer.Ordinal);
        foreach (var c in dataset.Cohorts)
        {
            cohorts.TryAdd(c.Id.Value, c);
        }
        // The figures accepted, by activity, in the order read; a pair seen once.
        var figures = new Dictionary<string, List<Attendance>>(StringComparer.Ordinal);
        var seen = new Dictionary<(string, string), long>();
        foreach (var row in table.Rows)
        {
            var error = Refusal(row, columns, activities, cohorts, seen, table, out var activity, out var attendance);
            if (error is not null)
            {
                report.Reject(row.Number, error);
                continue;
            }
            report.Read++;
            report.Accepted++;
            seen[(activity!.Id.Value, attendance!.Cohort.Value)] = row.Number;
            if (!figures.TryGetValue(activity.Id.Value, out var list))
            {
                figures[activity.Id.Value] = list = [];
            }
            list.Add(attendance);
        }
        return new SummaryAttendanceImport(figures.Count == 0 ? dataset : With(dataset, figures), report.Build());
    }

    /// <summary>The position of a column name among <see cref="SpreadsheetTemplates.AttendanceColumns"/>, or -1.</summary>
    private static int Position(string column)
    {
        var names = SpreadsheetTemplates.AttendanceColumns;
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == column)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The table's position of each of the three columns, in <see cref="SpreadsheetTemplates.AttendanceColumns"/> order.</summary>
    private static int[] Columns(SubmissionTable table, string? fileName)
    {
        var expected = SpreadsheetTemplates.AttendanceColumns;
        var positions = expected.Select(table.Column).ToArray();
        var others = table.Columns.Where(c => !expected.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        var repeated = table.Columns.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (positions.Contains(-1) || others.Count > 0 || repeated.Count > 0)
        {
            var problems = new List<string>();
            problems.AddRange(expected.Where((_, i) => positions[i] < 0).Select(c => $"missing column '{c}'"));
            problems.AddRange(others.Select(c => $"unknown column '{c}'"));
            problems.AddRange(repeated.Select(c => $"column '{c}' repeated"));
            throw new DataFormatException(
                $"The summary attendance header does not fit ({string.Join("; ", problems)}): its columns are {string.Join(", ", expected)}.",
                fileName, table.Name, null, null);
        }
        return positions;
    }

    /// <summary>Why a row is refused, or <c>null</c> with its activity and figure. Messages name ids, never a count typed wrong.</summary>
    private static RowError? Refusal(
        SubmissionRow row, int[] columns, Dictionary<string, Activity> activities, Dictionary<string, Cohort> cohorts,
        Dictionary<(string, string), long> seen, SubmissionTable table, out Activity? activity, out Attendance? attendance)
    {
        activity = null;
        attendance = null;
        if (row.Problem is not null)
        {
            var at = Array.IndexOf(columns, row.ProblemColumn);
            return RowError.Unreadable(row.Problem, at >= 0 && row.ProblemColumn >= 0 ? SpreadsheetTemplates.AttendanceColumns[at] : "$");
        }
        var activityId = row.Cells[columns[0]];
        var cohortId = row.Cells[columns[1]];
        var countText = row.Cells[columns[2]];
        if (activityId is null || !activities.TryGetValue(activityId, out activity))
        {
            return new RowError(ValidationRules.RecordUnknownActivity.Code,
                activityId is null ? "The row names no activity." : $"Activity {ValueText.Quote(activityId)} is not in the dataset.", "activity");
        }
        if (cohortId is null || !cohorts.TryGetValue(cohortId, out var cohort))
        {
            return new RowError(ValidationRules.UnknownCohort.Code,
                cohortId is null ? "The row names no cohort." : $"Cohort {ValueText.Quote(cohortId)} is not in the dataset.", "cohort");
        }
        if (cohort.Phase != activity.Phase)
        {
            return new RowError(ValidationRules.CohortOfOtherPhase.Code,
                $"Cohort '{cohort.Id}' belongs to phase '{cohort.Phase}', activity '{activity.Id}' to phase '{activity.Phase}'.", "cohort");
        }
        if (!decimal.TryParse(countText, NumberStyles.Float, CultureInfo.InvariantCulture, out var count)
            || count < 0 || count > int.MaxValue || decimal.Truncate(count) != count)
        {
            return new RowError(ValidationRules.CountNotWhole.Code,
                countText is null ? "The row gives no count." : "The count is not a whole number from 0.", "count");
        }
        if (seen.TryGetValue((activity.Id.Value, cohort.Id.Value), out var first))
        {
            return new RowError(ValidationRules.AttendanceGivenTwice.Code,
                $"Activity '{activity.Id}' and cohort '{cohort.Id}' were given at {table.Locate(first)}, which is the figure read.", "$");
        }
        attendance = new Attendance(cohort.Id, (int)count);
        return null;
    }

    /// <summary>The dataset with each activity's accepted figures set: a cohort's figure replaced in place, a new one added after the others.</summary>
    private static ProgrammeDataset With(ProgrammeDataset dataset, Dictionary<string, List<Attendance>> figures)
    {
        var activities = dataset.Activities.Select(a =>
        {
            if (!figures.TryGetValue(a.Id.Value, out var given))
            {
                return a;
            }
            var byCohort = given.ToDictionary(g => g.Cohort);
            var attendance = a.Attendance.Select(old => byCohort.Remove(old.Cohort, out var replaced) ? replaced : old).ToList();
            attendance.AddRange(given.Where(g => byCohort.ContainsKey(g.Cohort)));
            return new Activity(a.Id, a.Phase, a.Kind, a.Mode, a.Date, a.School, a.FacilitatedBy, a.DurationMinutes, a.Title, attendance);
        }).ToList();
        return new ProgrammeDataset(
            dataset.SchemaVersion, dataset.Organisations, dataset.Partnerships, dataset.Indicators, dataset.Schools, dataset.Cohorts,
            activities, dataset.Actuals, dataset.Description, dataset.AgeSchemes);
    }
}
