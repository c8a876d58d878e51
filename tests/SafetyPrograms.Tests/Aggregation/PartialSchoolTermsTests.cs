using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// A partial grouped by school terms carries its term calendar in its JSON, so it reads back, merges exactly, and
/// refuses to merge with a partial aggregated under another calendar.
/// </summary>
public class PartialSchoolTermsTests
{
    private static readonly Measure[] AllMeasures = Enum.GetValues<Measure>();

    private static TimeBucket Terms(LocalDate autumnEnd, string autumn = "2023 autumn") => TimeBucket.SchoolTerms(
    [
        new SchoolTerm("2023 spring", new DateInterval(new LocalDate(2023, 2, 1), new LocalDate(2023, 5, 31))),
        new SchoolTerm(autumn, new DateInterval(new LocalDate(2023, 8, 15), autumnEnd)),
    ]);

    private static readonly TimeBucket Calendar = Terms(new LocalDate(2023, 12, 15));

    private static AggregatePartial PartialOf(TestProgramme p, IEnumerable<ParticipationRecord> records, params GroupingTerm[] terms) =>
        p.Store(records).Query().GroupBy(terms).Measure(AllMeasures).RunPartial();

    private static AggregatePartial RoundTrip(AggregatePartial partial) => AggregatePartial.FromJson(partial.ToJson());

    [Fact]
    public void Json_SchoolTermsPartial_RoundTripsWithItsCalendar()
    {
        var p = TestProgramme.Build(seed: 71, records: 1200);
        var partial = PartialOf(p, p.Records, Calendar, Dimension.Sex);

        var json = partial.ToJson();
        var back = AggregatePartial.FromJson(json);

        Assert.Equal(json, back.ToJson());
        Assert.Equal(partial.GroupBy, back.GroupBy);
        Assert.Equal(Calendar.Terms, back.GroupBy[0].Time!.Terms);
        Assert.Equal(partial.GroupCount, back.GroupCount);
        Reference.AssertSame(Reference.Rows(partial.ToResult(rollup: true)), Reference.Rows(back.ToResult(rollup: true)), tolerance: 0);
        Assert.Contains(
            "\"groupBy\":[{\"name\":\"schoolTerms\",\"terms\":[{\"name\":\"2023 spring\",\"dates\":{\"start\":\"2023-02-01\",\"end\":\"2023-05-31\"}},"
            + "{\"name\":\"2023 autumn\",\"dates\":{\"start\":\"2023-08-15\",\"end\":\"2023-12-15\"}}]},\"sex\"]",
            json,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_AfterRoundTrip_EqualsSinglePass()
    {
        var p = TestProgramme.Build(seed: 72, records: 2000);
        var whole = PartialOf(p, p.Records, Dimension.Province, Calendar);
        var rng = new Random(72);
        var assignment = p.Records.Select(_ => rng.Next(3)).ToArray();

        // Each part is aggregated with its own, equal, calendar instance, written out and read back, as partners would.
        var merged = AggregatePartial.Merge(Enumerable.Range(0, 3).Select(k =>
            RoundTrip(PartialOf(p, p.Records.Where((_, i) => assignment[i] == k), Dimension.Province, Terms(new LocalDate(2023, 12, 15))))));

        Assert.Equal(whole.ToJson(), merged.ToJson());
        var direct = p.Store().Query().GroupBy(Dimension.Province, Calendar).Measure(AllMeasures).Rollup().Run();
        Reference.AssertSame(Reference.Rows(direct), Reference.Rows(merged.ToResult(rollup: true)), tolerance: 0);
    }

    [Fact]
    public void Merge_TermsWithOtherDates_IsRefusedNamingBothCalendars()
    {
        var p = TestProgramme.Build(seed: 73, records: 300);
        var mine = PartialOf(p, p.Records.Take(150), Calendar);
        var theirs = RoundTrip(PartialOf(p, p.Records.Skip(150), Terms(new LocalDate(2023, 12, 22))));

        var ex = Assert.Throws<ArgumentException>(() => mine.Merge(theirs));

        Assert.Contains("different school-term calendars (groupBy[0])", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2023 autumn (2023-08-15 to 2023-12-15)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2023 autumn (2023-08-15 to 2023-12-22)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_TermsWithOtherNames_IsRefused()
    {
        var p = TestProgramme.Build(seed: 74, records: 300);
        var mine = RoundTrip(PartialOf(p, p.Records.Take(150), Dimension.Role, Calendar));
        var theirs = RoundTrip(PartialOf(p, p.Records.Skip(150), Dimension.Role, Terms(new LocalDate(2023, 12, 15), autumn: "2023 T3")));

        var ex = Assert.Throws<ArgumentException>(() => AggregatePartial.Merge([mine, theirs]));

        Assert.Contains("groupBy[1]", ex.Message, StringComparison.Ordinal);
    }

    private const string Head = "{\"format\":\"safetyprograms.aggregatePartial\",\"version\":1,\"groupBy\":[";

    private const string Tail = "],\"measures\":[],\"groups\":[]}";

    private static string Term(string name, string start, string end) =>
        $"{{\"name\":\"{name}\",\"dates\":{{\"start\":\"{start}\",\"end\":\"{end}\"}}}}";

    [Theory]
    [InlineData("\"schoolTerms\"", "groupBy[0]")]
    [InlineData("{\"name\":\"month\",\"terms\":[]}", "groupBy[0].name")]
    [InlineData("{\"name\":\"schoolTerms\",\"terms\":[]}", "groupBy[0].terms")]
    [InlineData("{\"name\":\"schoolTerms\",\"terms\":[{\"name\":\"T1\",\"dates\":{\"start\":\"2023-02-30\",\"end\":\"2023-05-31\"}}]}", "groupBy[0].terms[0].dates.start")]
    [InlineData("{\"name\":\"schoolTerms\",\"terms\":[{\"name\":\"T1\",\"dates\":{\"start\":\"2023-06-01\",\"end\":\"2023-05-31\"}}]}", "groupBy[0].terms[0].dates.end")]
    [InlineData("{\"name\":\"schoolTerms\",\"terms\":[{\"name\":\" \",\"dates\":{\"start\":\"2023-02-01\",\"end\":\"2023-05-31\"}}]}", "groupBy[0].terms[0].name")]
    public void FromJson_BadSchoolTerms_NamesThePath(string term, string path)
    {
        var ex = Assert.Throws<DataFormatException>(() => AggregatePartial.FromJson(Head + term + Tail));

        Assert.Equal(path, ex.Path);
    }

    [Theory]
    [InlineData("{\"name\":\"schoolTerms\"}", "groupBy[0].terms", "'terms'")]
    [InlineData("{\"name\":\"schoolTerms\",\"terms\":[{\"name\":\"T1\"}]}", "groupBy[0].terms[0].dates", "'dates'")]
    [InlineData("{\"name\":\"schoolTerms\",\"terms\":[],\"year\":2023}", "groupBy[0].year", "'year'")]
    [InlineData("{\"name\":\"schoolTerms\",\"terms\":[{\"name\":\"T1\",\"dates\":{\"start\":\"2023-02-01\",\"end\":\"2023-05-31\"},\"name\":\"T2\"}]}", "groupBy[0].terms[0].name", "more than once")]
    public void FromJson_SchoolTermsMembersMissingUnknownOrRepeated_Refused(string term, string path, string reason)
    {
        var ex = Assert.Throws<DataFormatException>(() => AggregatePartial.FromJson(Head + term + Tail));

        Assert.Equal(path, ex.Path);
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_OverlappingTerms_Refused()
    {
        var json = Head + "{\"name\":\"schoolTerms\",\"terms\":[" + Term("A", "2023-01-01", "2023-03-01") + "," + Term("B", "2023-03-01", "2023-06-01") + "]}" + Tail;

        var ex = Assert.Throws<DataFormatException>(() => AggregatePartial.FromJson(json));

        Assert.Equal("groupBy[0].terms", ex.Path);
        Assert.Contains("overlap", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_GroupLabelNotOneOfTheTerms_Refused()
    {
        var p = TestProgramme.Build(seed: 75, records: 200);
        var json = PartialOf(p, p.Records, Calendar).ToJson().Replace("\"key\":[\"2023 spring\"]", "\"key\":[\"2023 summer\"]", StringComparison.Ordinal);

        var ex = Assert.Throws<DataFormatException>(() => AggregatePartial.FromJson(json));

        Assert.Matches(@"^groups\[\d+\]\.key\[0\]$", ex.Path);
        Assert.Contains("'2023 summer' is not one of the partial's school terms", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Terms_OfOtherBuckets_AreEmpty()
    {
        Assert.Empty(TimeBucket.Month.Terms);
        Assert.Equal(["2023 spring", "2023 autumn"], Calendar.Terms.Select(t => t.Name));
    }
}
