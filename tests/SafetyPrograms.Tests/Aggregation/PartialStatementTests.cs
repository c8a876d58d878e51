using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>Partials and published tables say which age scheme and disability cut-off they counted by, and never mix two.</summary>
public class PartialStatementTests
{
    private static readonly TestProgramme Programme = TestProgramme.Build(seed: 31, records: 1500);

    private static readonly AgeBandScheme Custom = new("under-five", [new AgeRange(0, 4), new AgeRange(5)]);

    private static AggregationQuery Query(AgeBandScheme scheme, DisabilityCutoff cutoff) =>
        Programme.Store(Programme.Records).Query().AgeScheme(scheme).DisabilityCutoff(cutoff)
            .GroupBy(Dimension.Age, Dimension.Disability).Measure(Measure.UniqueBeneficiaries, Measure.Participations);

    [Fact]
    public void AggregatePartial_StatesSchemeAndCutoff_RoundTripsThem_AndItsResultStatesThem()
    {
        var cannot = new DisabilityCutoff(FunctioningAnswer.CannotDoAtAll);
        var partial = Query(Custom, cannot).RunPartial();
        Assert.Equal(Custom, partial.AgeScheme);
        Assert.Equal(cannot, partial.DisabilityCutoff);

        var json = partial.ToJson();
        Assert.Contains("\"ageScheme\":{\"code\":\"under-five\",\"bands\":[\"0-4\",\"5\\u002B\"]}", json, StringComparison.Ordinal);
        Assert.Contains("\"disabilityCutoff\":\"wg-cannot\"", json, StringComparison.Ordinal);
        var read = AggregatePartial.FromJson(json);
        Assert.Equal(Custom, read.AgeScheme);
        Assert.Equal(cannot, read.DisabilityCutoff);
        Assert.Equal(json, read.ToJson());
        Assert.Equal(Custom, read.ToResult().AgeScheme);
        Assert.Equal(cannot, read.ToResult().DisabilityCutoff);

        // A partial that uses neither writes neither.
        var plain = Programme.Store(Programme.Records).Query().GroupBy(Dimension.Sex).RunPartial();
        Assert.Null(plain.AgeScheme);
        Assert.DoesNotContain("ageScheme", plain.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("disabilityCutoff", plain.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void AggregatePartial_MergeAcrossSchemesOrCutoffs_IsRefused()
    {
        var child = Query(AgeBandScheme.UnChild, DisabilityCutoff.WashingtonGroup).RunPartial();
        var adults = Query(AgeBandScheme.UnChildAdults, DisabilityCutoff.WashingtonGroup).RunPartial();
        var some = Query(AgeBandScheme.UnChild, new DisabilityCutoff(FunctioningAnswer.SomeDifficulty)).RunPartial();

        var scheme = Assert.Throws<ArgumentException>(() => child.Merge(adults));
        Assert.Contains("different band schemes", scheme.Message, StringComparison.Ordinal);
        Assert.Contains("un-child-adults", scheme.Message, StringComparison.Ordinal);
        var cutoff = Assert.Throws<ArgumentException>(() => child.Merge(some));
        Assert.Contains("different cut-offs", cutoff.Message, StringComparison.Ordinal);
        Assert.Contains("wg-some", cutoff.Message, StringComparison.Ordinal);
        // The same scheme and cut-off, read back from JSON, merge.
        Assert.Equal(AgeBandScheme.UnChild, AggregatePartial.FromJson(child.ToJson()).Merge(child).AgeScheme);
    }

    [Fact]
    public void ShardPartial_StatesRoundTripsAndRefusesMixing()
    {
        var ranges = ShardRange.Split(2);
        var stores = ranges.Select(r => Programme.Store(Programme.Records.Where(x => r.Contains(x.Beneficiary.Value)))).ToList();
        ShardPartial Shard(int i, AgeBandScheme scheme) => stores[i].Query().AgeScheme(scheme)
            .GroupBy(Dimension.Age).Measure(Measure.UniqueBeneficiaries).Rollup().RunShardPartial(ranges[i]);

        var first = ShardPartial.FromJson(Shard(0, Custom).ToJson());
        Assert.Equal(Custom, first.AgeScheme);
        Assert.Null(first.DisabilityCutoff);
        var whole = first.Merge(Shard(1, Custom)).ToResult();
        Assert.Equal(Custom, whole.AgeScheme);
        Assert.Equal(
            Programme.Store(Programme.Records).Query().AgeScheme(Custom).GroupBy(Dimension.Age).Measure(Measure.UniqueBeneficiaries).Rollup().Run().ToJson(),
            whole.ToJson());

        var mixed = Assert.Throws<ArgumentException>(() => first.Merge(Shard(1, AgeBandScheme.UnChild)));
        Assert.Contains("different band schemes", mixed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PartialJson_WithAnUnknownCutoffOrABrokenScheme_IsRefused()
    {
        var json = Query(Custom, DisabilityCutoff.WashingtonGroup).RunPartial().ToJson();
        Assert.ThrowsAny<Exception>(() => AggregatePartial.FromJson(json.Replace("\"wg-a-lot\"", "\"wg-most\"", StringComparison.Ordinal)));
        Assert.ThrowsAny<Exception>(() => AggregatePartial.FromJson(json.Replace("\"0-4\",", "\"0-3\",", StringComparison.Ordinal)));
    }

    private static string Json(PublishedTable table)
    {
        using var stream = new MemoryStream();
        PublishedTableWriter.WriteJson(table, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void PublishedTable_StatesSchemeAndCutoff_InJsonCsvAndHtml()
    {
        var store = Programme.Store(Programme.Records);
        var session = new PublicationSession(PublicationPolicy.Default, store);
        session.Add([Dimension.Disability, Dimension.Sex], Measure.UniqueBeneficiaries, q => q.DisabilityCutoff(new DisabilityCutoff(FunctioningAnswer.SomeDifficulty)));
        session.Add([Dimension.Age], Measure.Participations, q => q.AgeScheme(AgeBandScheme.UnChildAdults));
        session.Add([Dimension.Sex], Measure.UniqueBeneficiaries);
        var tables = session.Publish();

        Assert.Equal("wg-some", tables[0].DisabilityCutoff!.Code);
        Assert.Null(tables[0].AgeScheme);
        Assert.Equal(AgeBandScheme.UnChildAdults, tables[1].AgeScheme);
        Assert.Null(tables[2].AgeScheme);
        Assert.Null(tables[2].DisabilityCutoff);

        Assert.Contains("\"disabilityCutoff\":\"Washington Group cut-off: at least one domain", Json(tables[0]), StringComparison.Ordinal);
        Assert.Contains("\"ageScheme\":\"un-child-adults (0-4, 5-9, 10-14, 15-17, 18-24, 25-49, 50\\u002B)\"", Json(tables[1]), StringComparison.Ordinal);
        Assert.DoesNotContain("ageScheme", Json(tables[2]), StringComparison.Ordinal);

        using var csv = new StringWriter();
        PublishedTableWriter.WriteCsv(tables[0], csv);
        Assert.StartsWith("# disability: Washington Group cut-off: at least one domain \"some difficulty\"", csv.ToString(), StringComparison.Ordinal);
        using var html = new StringWriter();
        PublishedTableWriter.WriteHtml(tables[1], html);
        Assert.Contains("<p class=\"age-scheme\">Age bands: un-child-adults (0-4, 5-9, 10-14, 15-17, 18-24, 25-49, 50+).</p>", html.ToString(), StringComparison.Ordinal);
    }
}
