using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Benchmarks.Validation;

/// <summary>
/// Validating a dataset file of about 100 MB (one partnership, 100 schools, some 290,000 activities, indented) that
/// lists every problem in one pass: the clean file, against the same file with 10,000 problems planted evenly through it
/// (impossible dates, unknown members, values of the wrong type, refused values, references that do not resolve). The
/// listing costs the same pass over the text plus work per problem, so the two should differ by a small, linear margin;
/// the strict read of the clean file is there for reference.
/// </summary>
[MemoryDiagnoser]
public class FileValidationBenchmarks
{
    private const int TargetBytes = 100_000_000;
    private const int Problems = 10_000;
    private const int Schools = 100;

    private byte[] _clean = null!;
    private byte[] _broken = null!;

    [GlobalSetup]
    public void Setup()
    {
        var activities = ActivitiesFor(TargetBytes);
        _clean = Dataset(activities, plantEvery: 0);
        _broken = Dataset(activities, plantEvery: activities / Problems);
    }

    [Benchmark(Baseline = true)]
    public ValidationReport ValidateClean100MB() => ProgrammeValidator.Validate(new MemoryStream(_clean, writable: false), "clean.json");

    [Benchmark]
    public ValidationReport Validate100MBWith10000Problems() =>
        ProgrammeValidator.Validate(new MemoryStream(_broken, writable: false), "broken.json", new ValidationOptions { MaxFindings = 100_000 });

    [Benchmark]
    public int ReadClean100MBStrict() => ProgrammeDatasetJson.Read(new MemoryStream(_clean, writable: false), "clean.json").Activities.Count;

    /// <summary>How many activities make about <paramref name="bytes"/> bytes, from the size of a small file.</summary>
    private static int ActivitiesFor(int bytes)
    {
        var sample = Dataset(1_000, plantEvery: 0).Length - Dataset(0, plantEvery: 0).Length;
        return (int)((long)bytes * 1_000 / sample);
    }

    /// <summary>
    /// The dataset as indented UTF-8 JSON; with <paramref name="plantEvery"/> above zero, every that-many-th activity
    /// carries one problem, in turn of five kinds (each activity at most one, so the problems are independent).
    /// </summary>
    private static byte[] Dataset(int activities, int plantEvery)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("schemaVersion", "1.0");
            json.WriteStartArray("organisations");
            json.WriteStartObject();
            json.WriteString("id", "ngo");
            json.WriteString("name", "Education NGO");
            json.WriteString("kind", "ngo");
            json.WriteString("country", "PK");
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartArray("partnerships");
            json.WriteStartObject();
            json.WriteString("id", "p1");
            json.WriteString("name", "Safer Internet in Schools");
            Period(json, "2024-01-01", "2024-12-31");
            json.WriteString("status", "active");
            json.WriteStartArray("members");
            json.WriteStartObject();
            json.WriteString("organisation", "ngo");
            json.WriteString("role", "lead");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("phases");
            json.WriteStartObject();
            json.WriteString("id", "phase-1");
            json.WriteNumber("sequence", 1);
            json.WriteString("name", "Phase 1");
            Period(json, "2024-01-01", "2024-12-31");
            json.WriteString("status", "active");
            json.WriteStartArray("schools");
            for (var s = 0; s < Schools; s++)
            {
                json.WriteStringValue(SchoolId(s));
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("country", "PK");
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartArray("schools");
            for (var s = 0; s < Schools; s++)
            {
                json.WriteStartObject();
                json.WriteString("id", SchoolId(s));
                json.WriteString("name", "School " + s.ToString(CultureInfo.InvariantCulture));
                json.WriteString("sector", "public");
                json.WriteStartObject("location");
                json.WriteString("country", "PK");
                json.WriteString("province", "PK-PB");
                json.WriteString("district", "Lahore");
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();

            json.WriteStartArray("activities");
            var planted = 0;
            for (var a = 0; a < activities; a++)
            {
                var problem = plantEvery > 0 && a % plantEvery == plantEvery / 2 && planted < Problems ? planted++ % 5 : -1;
                json.WriteStartObject();
                json.WriteString("id", "act-" + a.ToString(CultureInfo.InvariantCulture));
                json.WriteString("phase", "phase-1");
                json.WriteString("kind", "workshop");
                json.WriteString("mode", "inPerson");
                var day = 1 + (a % 28);
                json.WriteString("date", problem == 0 ? "2024-02-30" : $"2024-{1 + (a % 12):00}-{day:00}");
                json.WriteString("school", SchoolId(a % Schools));
                json.WriteString("facilitatedBy", problem == 4 ? "org-nobody" : "ngo");
                if (problem == 2)
                {
                    json.WriteString("durationMinutes", "ninety");
                }
                else
                {
                    json.WriteNumber("durationMinutes", problem == 3 ? -90 : 90);
                }
                json.WriteString("title", "Workshop on staying safe online");
                if (problem == 1)
                {
                    json.WriteString("colour", "red");
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void Period(Utf8JsonWriter json, string start, string end)
    {
        json.WriteStartObject("period");
        json.WriteString("start", start);
        json.WriteString("end", end);
        json.WriteEndObject();
    }

    private static string SchoolId(int school) => "school-" + school.ToString(CultureInfo.InvariantCulture);
}
