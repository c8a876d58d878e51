// SafetyPrograms quick start: load a dataset, validate it, stream participation records, print unique reach by province.
using SafetyPrograms.Aggregation;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;

var datasetPath = args.Length > 0 ? args[0] : "samples/data/programmes.json";
var participationsPath = args.Length > 1 ? args[1] : "samples/data/participations.csv";

// 1. Read the dataset: a malformed file throws DataFormatException naming the file, line and JSON path.
using var datasetFile = File.OpenRead(datasetPath);
var dataset = ProgrammeDatasetJson.Read(datasetFile, datasetPath);

// 2. Validate it: every finding, each with a stable code, a JSON path and a fix.
var report = ProgrammeValidator.Validate(dataset);
Console.WriteLine(report.ToText());

// 3. Stream participation records into the columnar store; every line is accounted for.
var store = new ParticipationStore(dataset);
using var participationsFile = File.OpenRead(participationsPath);
var ingest = store.AppendCsv(participationsFile, participationsPath);
Console.WriteLine($"read {ingest.Read}, accepted {ingest.Accepted}, rejected {ingest.Rejected}");

// 4. Unique reach by province: each child counted once per province, and once in the total.
var reach = store.Query()
    .GroupBy(Dimension.Province)
    .Measure(Measure.UniqueBeneficiaries, Measure.Participations)
    .Rollup()
    .Run();
foreach (var row in reach.Rows)
{
    var province = row.IsGrandTotal ? "total" : row.Key(0) ?? "(none)";
    Console.WriteLine($"{province,-8} {row.Count(Measure.UniqueBeneficiaries),8} children {row.Count(Measure.Participations),8} participations");
}
