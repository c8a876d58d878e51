using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets.Reading;
using SafetyPrograms.Spreadsheets.Templates;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Spreadsheets;

/// <summary>
/// Data-entry workbooks built from a dataset, for partners who keep attendance in Excel: one for participation records
/// (one row a person a session) and one for summary attendance (a count a cohort an activity). Each has a data sheet
/// whose header row names the columns as the import reads them, drop-down lists (data validation) drawn from the
/// dataset's activities, schools, cohorts and the code lists (roles, sexes, age bands, modes, and any answer list the
/// participation columns have), a note on each column shown when a cell is selected, a <c>Codes</c> sheet listing every
/// code with what it means, and a <c>Notes</c> sheet describing each column.
/// </summary>
/// <remarks>
/// The participation workbook reads back through the spreadsheet import as it is (its header names the participation
/// columns); dates are real dates formatted <c>yyyy-mm-dd</c>, and keys are text so leading zeros stay.
/// Thread-safe.
/// </remarks>
public static class SpreadsheetTemplates
{
    /// <summary>The data sheet of the participation workbook.</summary>
    public const string ParticipationSheet = "Participations";

    /// <summary>The data sheet of the summary attendance workbook.</summary>
    public const string AttendanceSheet = "Attendance";

    /// <summary>The sheet listing every code.</summary>
    public const string CodesSheet = "Codes";

    /// <summary>The sheet describing every column.</summary>
    public const string NotesSheet = "Notes";

    /// <summary>The columns of the summary attendance sheet.</summary>
    public static IReadOnlyList<string> AttendanceColumns { get; } = ["activity", "cohort", "count"];

    /// <summary>Writes the participation workbook for <paramref name="dataset"/>.</summary>
    /// <param name="output">Where the .xlsx goes; not closed.</param>
    /// <param name="dataset">The dataset whose activities, schools and codes fill the lists.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteParticipationRecords(Stream output, ProgrammeDataset dataset)
    {
        Preconditions.CheckNotNull(output);
        Preconditions.CheckNotNull(dataset);
        var codes = new CodeLists(dataset);
        Write(output, ParticipationSheet, [.. ParticipationCsv.Columns.Select(c => ParticipationSheetColumns.Describe(c, codes))], codes);
    }

    /// <summary>Writes the summary attendance workbook for <paramref name="dataset"/>: activity, cohort and count a row.</summary>
    /// <param name="output">Where the .xlsx goes; not closed.</param>
    /// <param name="dataset">The dataset whose activities and cohorts fill the lists.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteSummaryAttendance(Stream output, ProgrammeDataset dataset)
    {
        Preconditions.CheckNotNull(output);
        Preconditions.CheckNotNull(dataset);
        var codes = new CodeLists(dataset, byPhase: true);
        Write(output, AttendanceSheet,
        [
            new("activity", true, "The activity, by id: pick it from the list (the Codes sheet gives each one's title and date).", ColumnKind.Key, codes.Activities),
            new("cohort", true, "The cohort that attended, by id: the list offers the cohorts of the activity's phase, so pick the activity first (the Codes sheet gives each cohort's role, sex, age band and school).",
                ColumnKind.Key, codes.Cohorts, PhaseOf: "activity"),
            new("count", true, "How many of the cohort attended: a whole number, 0 or more.", ColumnKind.Count, null),
        ], codes);
    }

    private static void Write(Stream output, string sheetName, IReadOnlyList<TemplateColumn> columns, CodeLists codes)
    {
        // The packaging layer reads back what it writes: a stream that cannot seek and read (a pipe, a file opened only for
        // writing) gets the finished workbook copied in.
        var target = output.CanSeek && output.CanRead ? output : new MemoryStream();
        using (var document = SpreadsheetDocument.Create(target, SpreadsheetDocumentType.Workbook, autoSave: true))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = TemplateStyles.Create();
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            AddSheet(workbook, sheets, 1, sheetName, DataSheet(columns, codes));
            AddSheet(workbook, sheets, 2, CodesSheet, codes.Sheet());
            AddSheet(workbook, sheets, 3, NotesSheet, NotesWorksheet(columns));
        }
        if (!ReferenceEquals(target, output))
        {
            target.Position = 0;
            target.CopyTo(output);
        }
    }

    private static void AddSheet(WorkbookPart workbook, Sheets sheets, uint id, string name, Worksheet worksheet)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        part.Worksheet = worksheet;
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id, Name = name });
    }

    private static Worksheet DataSheet(IReadOnlyList<TemplateColumn> columns, CodeLists codes)
    {
        var sheet = new Worksheet();
        // The header stays in view while scrolling.
        sheet.Append(new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
        { TabSelected = true, WorkbookViewId = 0 }));
        var cols = new Columns();
        for (var c = 0; c < columns.Count; c++)
        {
            cols.Append(new Column
            {
                Min = (uint)c + 1, Max = (uint)c + 1, Width = columns[c].Kind == ColumnKind.Key ? 22 : 14, CustomWidth = true,
                Style = TemplateStyles.ForColumn(columns[c].Kind),
            });
        }
        sheet.Append(cols);
        var header = new Row { RowIndex = 1 };
        for (var c = 0; c < columns.Count; c++)
        {
            header.Append(TemplateStyles.Text(CellReference.Of(c, 1), columns[c].Name, TemplateStyles.Header));
        }
        sheet.Append(new SheetData(header));
        var validations = new DataValidations();
        for (var c = 0; c < columns.Count; c++)
        {
            var follows = columns[c].PhaseOf is { } name ? columns.ToList().FindIndex(o => o.Name == name) : -1;
            validations.Append(Validation(columns[c], CellReference.Column(c), follows < 0 ? null : CellReference.Column(follows), codes));
        }
        validations.Count = (uint)validations.ChildElements.Count;
        sheet.Append(validations);
        return sheet;
    }

    /// <summary>The data validation of a column below its header: a list, a date, a number, or only the note.</summary>
    /// <param name="column">The column.</param>
    /// <param name="letter">Its letter.</param>
    /// <param name="activity">For a cohort list that follows the activity (<see cref="TemplateColumn.PhaseOf"/>), the activity column's letter.</param>
    /// <param name="codes">The code lists.</param>
    private static DataValidation Validation(TemplateColumn column, string letter, string? activity, CodeLists codes)
    {
        var validation = new DataValidation
        {
            SequenceOfReferences = new ListValue<StringValue> { InnerText = $"{letter}2:{letter}{CellReference.MaxRows}" },
            AllowBlank = true, ShowInputMessage = true, ShowErrorMessage = true,
            PromptTitle = column.Name.Length <= 32 ? column.Name : column.Name[..32],
            Prompt = (column.Required ? "Required. " : "Optional. ") + (column.Note.Length <= 240 ? column.Note : column.Note[..240]),
            ErrorTitle = column.Name.Length <= 32 ? column.Name : column.Name[..32],
            Error = column.Note.Length <= 240 ? column.Note : column.Note[..240],
        };
        if (column.List is { Count: > 0 } list)
        {
            validation.Type = DataValidationValues.List;
            validation.Append(new Formula1(activity is not null && codes.ActivityPhases is { } phases && codes.CohortsByPhase is { } byPhase
                ? PhaseList(activity, Range(codes, list), phases, byPhase, codes)
                : Range(codes, list)));
            return validation;
        }
        switch (column.Kind)
        {
            case ColumnKind.Date:
                validation.Type = DataValidationValues.Date;
                validation.Operator = DataValidationOperatorValues.Between;
                validation.Append(new Formula1("1"), new Formula2(NumberFormats.Serial(new DateOnly(9999, 12, 31)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case ColumnKind.Score:
                validation.Type = DataValidationValues.Decimal;
                validation.Operator = DataValidationOperatorValues.Between;
                validation.Append(new Formula1("-1000000000"), new Formula2("1000000000"));
                break;
            case ColumnKind.Count:
                validation.Type = DataValidationValues.Whole;
                validation.Operator = DataValidationOperatorValues.GreaterThanOrEqual;
                validation.Append(new Formula1("0"));
                break;
            default:
                validation.Type = DataValidationValues.None;
                validation.ShowErrorMessage = false;
                break;
        }
        return validation;
    }

    /// <summary>A list's codes on the Codes sheet, such as <c>Codes!$A$2:$A$41</c>.</summary>
    private static string Range(CodeLists codes, CodeList list) =>
        $"{CellReference.Sheet(CodesSheet)}!${codes.ColumnOf(list)}$2:${codes.ColumnOf(list)}${list.Count + 1}";

    /// <summary>
    /// The cohorts of the phase of the row's activity: the run of <paramref name="byPhase"/>'s rows whose phase is the one
    /// <paramref name="phases"/> gives the activity (found with MATCH, counted with COUNTIF, taken with OFFSET, which Excel
    /// and LibreOffice accept as a list's source); every cohort while the activity is empty. The summary attendance import
    /// refuses a cohort of another phase (SP1110), so the list offers what it accepts. Written for row 2: Excel moves
    /// <c>$A2</c> with each row of the range.
    /// </summary>
    private static string PhaseList(string activity, string allCohorts, CodeList phases, CodeList byPhase, CodeLists codes)
    {
        var sheet = CellReference.Sheet(CodesSheet);
        var cell = $"${activity}2";
        var phase = $"VLOOKUP({cell},{sheet}!${codes.ColumnOf(phases)}$2:${codes.MeaningColumnOf(phases)}${phases.Count + 1},2,FALSE)";
        var (cohort, ofPhase, last) = (codes.ColumnOf(byPhase), codes.MeaningColumnOf(byPhase), byPhase.Count + 1);
        return $"IF({cell}=\"\",{allCohorts},OFFSET({sheet}!${cohort}$1,MATCH({phase},{sheet}!${ofPhase}$1:${ofPhase}${last},0)-1,0,"
            + $"COUNTIF({sheet}!${ofPhase}$2:${ofPhase}${last},{phase}),1))";
    }

    private static Worksheet NotesWorksheet(IReadOnlyList<TemplateColumn> columns)
    {
        var data = new SheetData();
        var row = 1u;
        data.Append(TemplateStyles.Row(row++, TemplateStyles.Header, "column", "required", "what to enter"));
        foreach (var column in columns)
        {
            data.Append(TemplateStyles.Row(row++, 0, column.Name, column.Required ? "yes" : "no", column.Note));
        }
        return new Worksheet(new Columns(
            new Column { Min = 1, Max = 2, Width = 16, CustomWidth = true },
            new Column { Min = 3, Max = 3, Width = 110, CustomWidth = true }), data);
    }
}
