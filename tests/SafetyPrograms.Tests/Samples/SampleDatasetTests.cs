using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Samples;

/// <summary>The shipped sample describes the programmes in the seed articles, with the figures the articles give.</summary>
public class SampleDatasetTests
{
    private static ProgrammeDataset Load()
    {
        var path = Path.Combine(RepositoryPaths.SamplesData, "programmes.json");
        using var stream = File.OpenRead(path);
        return ProgrammeDatasetJson.Read(stream, path);
    }

    [Fact]
    public void Sample_Reads()
    {
        var dataset = Load();
        Assert.Equal(ProgrammeDataset.CurrentSchemaVersion, dataset.SchemaVersion);
        Assert.Equal(5, dataset.Partnerships.Count);
    }

    [Fact]
    public void DigitalSafety_Phase2_Targets50000In100SchoolsInAllProvinces()
    {
        var dataset = Load();
        var phase2 = dataset.Partnerships.Single(p => p.Id.Value == "ps-digital-safety").Phases.Single(p => p.Sequence == 2);
        Assert.Equal(100, phase2.Schools.Count);
        Assert.Equal(50_000m, phase2.Targets.Single().Value);
        var provinces = dataset.Schools.Where(s => phase2.Schools.Contains(s.Id)).Select(s => s.Location.Province).ToHashSet();
        Assert.Equal(Subdivisions.Pakistan.Select(s => s.Code).ToHashSet(), provinces);
    }

    [Fact]
    public void ChildOnlineProtection_750000Target_ClosedOn3December2025()
    {
        var dataset = Load();
        var cop = dataset.Partnerships.Single(p => p.Id.Value == "ps-child-online-protection");
        Assert.Equal(new LocalDate(2025, 12, 3), cop.Period.End);
        Assert.Equal(750_000m, cop.Targets.Single(t => t.Indicator.Value == "COP-OUT-1").Value);
        Assert.Contains(cop.Milestones, m => m.Title.Contains("Child Online Protection Committee", StringComparison.Ordinal) && m.Status == MilestoneStatus.Achieved);
    }

    [Fact]
    public void Study_FindingsDueApril2026()
    {
        var study = Load().Partnerships.Single(p => p.Id.Value == "ps-disrupting-harm-2");
        Assert.Equal(new LocalDate(2026, 4, 30), study.Milestones.Single(m => m.Id.Value == "ms-dh2-findings").DueDate);
        Assert.True(study.Period.IsOpen);
    }

    [Fact]
    public void Sample_RoundTripsWithoutLoss()
    {
        var dataset = Load();
        Assert.Equal(dataset, ProgrammeDatasetJson.Parse(ProgrammeDatasetJson.ToJson(dataset)));
    }
}

/// <summary>The sample passes the same validation a funder's data team would run.</summary>
public class SampleDatasetValidationTests
{
    [Fact]
    public void Sample_HasNoErrors()
    {
        var path = Path.Combine(RepositoryPaths.SamplesData, "programmes.json");
        using var stream = File.OpenRead(path);
        var report = SafetyPrograms.Validation.ProgrammeValidator.Validate(ProgrammeDatasetJson.Read(stream, path));
        Assert.True(report.ErrorCount == 0, report.ToText());
    }
}
