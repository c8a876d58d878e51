using System.Globalization;
using System.Text;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Spreadsheets;

namespace SafetyPrograms.Tests.Spreadsheets;

/// <summary>What the Kobo and ODK export tests share: the samples' folder and dataset, their mappings, and the made-up programme secret that keys the raw learner ids.</summary>
public abstract class SubmissionSamples : IDisposable
{
    private protected static readonly string Data = RepositoryPaths.SamplesData;
    private readonly BeneficiaryPseudonymiser _pseudonymiser = new("made-up test secret: 9f2c41d7b0e6a583c1f4d92e7a06b3c8");

    public void Dispose()
    {
        _pseudonymiser.Dispose();
        GC.SuppressFinalize(this);
    }

    private protected RawIdentifierKeys Keys => new(_pseudonymiser, IdentifierScheme.PartnerLearnerId("school-register"));

    private protected static ProgrammeDataset Dataset() => RepositoryPaths.SampleDataset();

    /// <summary>A sample mapping (a path under samples/data), after <paramref name="edit"/> of its JSON text.</summary>
    private protected static SubmissionMapping Mapping(string path, Func<string, string>? edit = null)
    {
        var json = File.ReadAllText(Path.Combine(Data, path));
        return SubmissionMapping.Read(new MemoryStream(Encoding.UTF8.GetBytes(edit?.Invoke(json) ?? json)), path);
    }

    /// <summary>A Kobo export built as Kobo writes one, each sheet's rows given as cells (a whole number is written as a number, as Kobo writes _index; <c>#N/A</c> as an error cell).</summary>
    private protected static byte[] KoboWorkbook(params (string Sheet, string[][] Rows)[] sheets)
    {
        var book = new TestWorkbook();
        foreach (var (name, rows) in sheets)
        {
            var xml = new StringBuilder();
            for (var r = 0; r < rows.Length; r++)
            {
                xml.Append(CultureInfo.InvariantCulture, $"<row r=\"{r + 1}\">");
                for (var c = 0; c < rows[r].Length; c++)
                {
                    var reference = string.Create(CultureInfo.InvariantCulture, $"{(char)('A' + c)}{r + 1}");
                    var text = rows[r][c];
                    xml.Append(
                        text.Length == 0 ? ""
                        : text.StartsWith('#') ? $"<c r=\"{reference}\" t=\"e\"><v>{text}</v></c>"
                        : int.TryParse(text, out _) ? TestWorkbook.N(reference, text) : TestWorkbook.Inline(reference, text));
                }
                xml.Append("</row>");
            }
            book.Sheet(name, xml.ToString());
        }
        return book.Build();
    }
}
