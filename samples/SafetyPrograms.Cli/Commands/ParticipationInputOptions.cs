using System.CommandLine;
using System.Data.Common;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Ingest;
using SafetyPrograms.Parquet;
using SafetyPrograms.Privacy;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets;

namespace SafetyPrograms.Cli.Commands;

/// <summary>
/// How a participation input is read, the same options and wording on every command that reads participation records
/// (<c>import</c>, <c>convert</c>, <c>aggregate</c>, <c>validate</c>, <c>progress</c>, <c>report</c>, <c>export</c>):
/// a Kobo/ODK mapping and its repeat groups' files (<c>--mapping</c>, <c>--records</c>), a workbook's sheet and header row
/// (<c>--sheet</c>, <c>--header-row</c>), and a raw identifier pseudonymised as each row is read with the programme's
/// secret (<c>--raw-column</c>, or the mapping's, with <c>--scheme</c> and <c>--secret-file</c> or <c>--secret-env</c>),
/// so raw identifiers never reach the store, an output or a log. One place builds the source and its options from them.
/// </summary>
/// <param name="submissions">Whether the command takes a Kobo/ODK export (<c>--mapping</c>, <c>--records</c>); <c>export</c>'s
/// own <c>--mapping</c> is its ADX mapping, so it reads participation files and sheets only.</param>
internal sealed class ParticipationInputOptions(bool submissions = true)
{
    public Option<string?> Mapping { get; } = new("--mapping") { Description = "A Kobo/ODK mapping file (JSON; see the schema submission-mapping.schema.json): the input is then that tool's export (.xlsx or .csv)." };

    public Option<string[]> Records { get; } = new("--records")
    {
        Description = "With --mapping and a CSV export: a repeat group's CSV file (ODK Central's FORM-GROUP.csv); give it once for the records' group and once for each group it sits in.",
    };

    public Option<string?> Sheet { get; } = new("--sheet") { Description = "For an .xlsx input: the worksheet to read (the first by default)." };

    public Option<int?> HeaderRow { get; } = new("--header-row") { Description = "For an .xlsx input: the header's row number (the first row with a value by default)." };

    private readonly Option<string?> _rawColumn = new("--raw-column")
    {
        Description = "A column holding a raw identifier (a phone number, a national id, a learner id) to pseudonymise as each row is read, "
            + "with --scheme and the programme's secret, so it never reaches the store or an output; the input then has no beneficiary column. "
            + "A Kobo/ODK mapping names its own (rawIdentifier).",
    };

    private readonly Option<string?> _scheme = new("--scheme") { Description = "With a raw identifier: how it is normalised (phone, phone:CC, nationalId, learner:NAMESPACE)." };

    private readonly Option<string> _secretVariable = new("--secret-env")
    {
        Description = $"The environment variable holding the programme's secret; {PseudonymiseCommand.DefaultSecretVariable} by default.",
        DefaultValueFactory = _ => PseudonymiseCommand.DefaultSecretVariable,
    };

    private readonly Option<string?> _secretFile = new("--secret-file") { Description = "A file holding the programme's secret instead." };

    public void AddTo(Command command)
    {
        Option[] own = [Sheet, HeaderRow, _rawColumn, _scheme, _secretVariable, _secretFile];
        foreach (var option in submissions ? [Mapping, Records, .. own] : own)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The files these options read besides the input (the mapping, the repeat groups'), which an output must not replace.</summary>
    public IEnumerable<string> Files(ParseResult parse) =>
        [.. MappingPath(parse) is { } mapping ? [mapping] : Array.Empty<string>(), .. GroupPaths(parse)];

    private string? MappingPath(ParseResult parse) => submissions ? parse.GetValue(Mapping) : null;

    private string[] GroupPaths(ParseResult parse) => submissions ? parse.GetValue(Records) ?? [] : [];

    /// <summary>
    /// Opens the input: the file <paramref name="participations"/> by its format (or, with <paramref name="database"/>, the
    /// query it names), read as these options say.
    /// </summary>
    /// <exception cref="ArgumentException">The options do not fit the input (a sheet for a CSV, a raw column beside a mapping, a raw identifier without --scheme).</exception>
    public ParticipationInput Open(ParseResult parse, string participations, string? database)
    {
        var mappingPath = MappingPath(parse);
        var rawColumn = parse.GetValue(_rawColumn);
        var workbook = database is null && SourceInputs.IsWorkbook(participations);
        if (database is not null && mappingPath is not null)
        {
            throw new ArgumentException("--database reads a query whose columns are named as the participation fields: --mapping does not apply.");
        }
        if ((parse.GetValue(Sheet) is not null || parse.GetValue(HeaderRow) is not null) && (!workbook || mappingPath is not null))
        {
            throw new ArgumentException("--sheet and --header-row choose the sheet of an .xlsx input read as participation records (a Kobo export's sheets are its mapping's).");
        }
        if (GroupPaths(parse) is { Length: > 0 } && mappingPath is null)
        {
            throw new ArgumentException("--records gives a Kobo/ODK export's repeat group files: give its --mapping too.");
        }
        if (rawColumn is not null && mappingPath is not null)
        {
            throw new ArgumentException("--raw-column: the mapping names the raw identifier (rawIdentifier); give it there.");
        }
        var input = new ParticipationInput(participations, database);
        try
        {
            SubmissionMapping? map = null;
            if (mappingPath is not null)
            {
                using var json = File.OpenRead(mappingPath);
                map = SubmissionMapping.Read(json, mappingPath);
            }
            IRawIdentifierKeys? keys = null;
            if ((map?.RawIdentifier ?? rawColumn) is not null)
            {
                var schemeText = parse.GetValue(_scheme) ?? throw new ArgumentException(
                    "--scheme: the input holds a raw identifier; say how it is normalised (phone, phone:CC, nationalId, learner:NAMESPACE).");
                var scheme = PseudonymiseCommand.ParseScheme(schemeText);
                input.Pseudonymiser = new BeneficiaryPseudonymiser(PseudonymiseCommand.Secret(parse.GetValue(_secretFile), parse.GetValue(_secretVariable)!));
                keys = new RawIdentifierKeys(input.Pseudonymiser, scheme);
            }
            input.Options = map?.SourceOptions(keys) ?? (keys is null ? null : new ParticipationSourceOptions { RawIdentifierColumn = rawColumn, RawIdentifiers = keys });
            if (database is not null)
            {
                input.Connection = Inputs.OpenDatabase(database);
                input.Source = new DatabaseQuerySource(input.Connection, Inputs.Query(participations));
                return input;
            }
            var stream = input.Open(participations);
            if (map is not null)
            {
                var groups = input.OpenGroups(GroupPaths(parse));
                // One file and no parents named: that file is the records' group, whatever its name.
                input.Source = workbook ? SubmissionExportSource.FromWorkbook(map, stream, participations)
                    : groups.Count <= 1 && map.Parents is not { Count: > 0 }
                        ? SubmissionExportSource.FromCsv(map, stream, participations, groups.Values.FirstOrDefault(), groups.Keys.FirstOrDefault())
                    : SubmissionExportSource.FromCsv(map, stream, participations, groups);
            }
            else if (workbook)
            {
                input.Source = new WorkbookParticipationSource(stream, participations, parse.GetValue(Sheet), parse.GetValue(HeaderRow));
            }
            else if (keys is not null)
            {
                input.Source = Inputs.IsJsonLines(participations) ? new JsonLinesParticipationSource(stream, participations)
                    : Inputs.IsParquet(participations) ? new ParquetSource(stream, participations)
                    : new CsvParticipationSource(stream, participations);
            }
            return input;
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }
}

/// <summary>
/// An opened participation input: a source and its options, or (a CSV, JSON Lines or Parquet file read as it is) the
/// file for the store's own readers. Holds the files, the connection and the secret's key while it is read.
/// </summary>
internal sealed class ParticipationInput(string participations, string? database) : IDisposable
{
    private readonly Dictionary<string, Stream> _groups = new(StringComparer.Ordinal);
    private Stream? _stream;

    /// <summary>What messages call the input: its path, or the database query (never the connection string).</summary>
    public string Name => database is null ? participations : "the database query";

    public ParticipationSource? Source { get; set; }

    public ParticipationSourceOptions? Options { get; set; }

    public BeneficiaryPseudonymiser? Pseudonymiser { get; set; }

    public DbConnection? Connection { get; set; }

    public Stream Open(string path) =>
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    public IReadOnlyDictionary<string, Stream> OpenGroups(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            _groups[path] = File.OpenRead(path);
        }
        return _groups;
    }

    /// <summary>Appends the input to <paramref name="store"/>, or with <paramref name="dryRun"/> reports what it would add.</summary>
    public IngestReport Append(ParticipationStore store, bool dryRun, CancellationToken cancellationToken) =>
        Source is null ? SourceInputs.Append(store, _stream!, participations, cancellationToken)
        : dryRun ? store.DryRun(Source, Options, cancellationToken)
        : store.Append(Source, Options, cancellationToken);

    /// <summary>
    /// The input as records, for a validator: a source's rows decoded as the typed readers decode them (a raw identifier
    /// keyed first, so it never reaches a finding), or a CSV or JSON Lines file read as it is through its typed reader.
    /// </summary>
    public IEnumerable<ParticipationReadResult> Records(CancellationToken cancellationToken)
    {
        var source = Source ?? (database is null && Inputs.IsParquet(participations) ? new ParquetSource(_stream!, participations) : null);
        var lines = source is not null ? source.ReadRecords(Options, cancellationToken)
            : Inputs.IsJsonLines(participations) ? ParticipationJsonLines.Read(_stream!, participations)
            : ParticipationCsv.Read(_stream!, participations);
        foreach (var line in lines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return line;
        }
    }

    /// <summary>Converts the input to Parquet, streaming, into <paramref name="output"/>.</summary>
    public IngestReport ConvertToParquet(ProgrammeDataset dataset, Stream output, CancellationToken cancellationToken) =>
        Source is null
            ? SourceInputs.ConvertToParquet(dataset, _stream!, participations, output, cancellationToken)
            : ParticipationParquet.Convert(Source, dataset, output, Options, cancellationToken);

    public void Dispose()
    {
        Pseudonymiser?.Dispose();
        Connection?.Dispose();
        _stream?.Dispose();
        foreach (var group in _groups.Values)
        {
            group.Dispose();
        }
    }
}
