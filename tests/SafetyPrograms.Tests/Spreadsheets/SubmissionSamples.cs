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
}
