using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// The kernel reads each record's context (activity + school) through a table in the narrowest integer that holds every
/// combination the query groups by, with that integer's largest value for a context a filter leaves out: one byte under
/// 255 combinations, two under 65,535, else the plan's eight-byte table. Every width gives the reference's answers.
/// </summary>
public class ContextTableTests
{
    private static readonly Measure[] Measures = [Measure.Participations, Measure.UniqueBeneficiaries, Measure.Completions, Measure.MeanGain];

    [Theory]
    [InlineData("province,month", 30, typeof(QueryEngine.NarrowContext<byte>))]
    [InlineData("school,quarter", 30, typeof(QueryEngine.NarrowContext<byte>))]
    [InlineData("school,quarter", 300, typeof(QueryEngine.NarrowContext<ushort>))]
    [InlineData("district,school,role", 1000, typeof(QueryEngine.NarrowContext<ushort>))] // combinations present, numbered per query
    public void GroupBy_DatasetDimensions_ReadsTheNarrowestTable_AndMatchesTheWideOne(string grouping, int schools, Type width)
    {
        // Every record names its school, so activities held at no school bring contexts at many schools.
        var p = TestProgramme.Build(seed: 71, records: 6000, schools: schools, schoolOverrideTenths: 10);
        var terms = GroupByTests.Parse(grouping);
        var expected = Reference.Compute(p, terms, Measures);

        var narrow = p.Store().Query().GroupBy(terms).Measure(Measures);
        Assert.IsType(width, PlanOf(narrow).ContextParts);
        Reference.AssertSame(expected, Reference.Rows(narrow.Run()));

        var wide = p.Store().Query().GroupBy(terms).Measure(Measures);
        wide.NarrowContextTable = false;
        Assert.IsType<QueryEngine.WideContext>(PlanOf(wide).ContextParts);
        Reference.AssertSame(expected, Reference.Rows(wide.Run()));
    }

    [Theory]
    [InlineData(30, typeof(QueryEngine.NarrowContext<byte>))]
    [InlineData(300, typeof(QueryEngine.NarrowContext<ushort>))]
    public void Where_DatasetDimension_ContextsLeftOutAreMarkedInTheNarrowTable(int schools, Type width)
    {
        // A filter on a dataset dimension makes the table per query (not the store's shared one), with contexts left out.
        var p = TestProgramme.Build(seed: 72, records: 6000, schools: schools);
        var query = p.Store().Query().GroupBy(Dimension.School).Measure(Measures).Where(Dimension.Province, "PK-SD");
        Assert.IsType(width, PlanOf(query).ContextParts);
        var expected = Reference.Compute(p, [Dimension.School], Measures, r => Reference.Label(p, Dimension.Province, r) == "PK-SD");
        Assert.InRange(expected.Count, 2, schools); // the premise: the filter leaves some schools in and some out
        Assert.Contains(p.Records, r => Reference.Label(p, Dimension.Province, r) != "PK-SD");
        Reference.AssertSame(expected, Reference.Rows(query.Run()));
    }

    [Fact]
    public void Query_AfterMoreRecordsAddContexts_ReadsTheStoresTableExtended()
    {
        // The table for one dataset dimension is kept by the store across queries: records appended later bring
        // contexts it did not have, which the next query must read.
        var p = TestProgramme.Build(seed: 73, records: 4000, schools: 300);
        var half = p.Records.Count / 2;
        var store = p.Store(p.Records.Take(half));
        var contextsBefore = store.Query().Columns().ContextCount;
        Reference.AssertSame(
            Reference.ComputeOver(p, p.Records.Take(half), [Dimension.School], Measures, rollup: false),
            Reference.Rows(store.Query().GroupBy(Dimension.School).Measure(Measures).Run()));

        Assert.Equal(0, store.Append(p.Records.Skip(half)).Rejected);
        Assert.True(store.Query().Columns().ContextCount > contextsBefore); // the premise: new contexts came
        Reference.AssertSame(Reference.Compute(p, [Dimension.School], Measures), Reference.Rows(store.Query().GroupBy(Dimension.School).Measure(Measures).Run()));
    }

    private static QueryPlan PlanOf(AggregationQuery query) => new(query, query.Columns());
}
