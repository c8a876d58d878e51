using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

public class PublicationTableTests
{
    [Fact]
    public void Construction_ComputesEveryMargin()
    {
        var schools = new TableDimension("school", [new("s1"), new("s2")]);
        var table = new PublicationTable([schools, SampleTables.Sex], [new(5, "s1", "girl"), new(7, "s1", "boy"), new(11, "s2", "girl")]);
        Assert.Equal(12, table["s1", "total"]);
        Assert.Equal(16, table["total", "girl"]);
        Assert.Equal(0, table["s2", "notRecorded"]);
        Assert.Equal(23, table["total", "total"]);
    }

    [Fact]
    public void Dimension_ImplicitTotal_OnlyWithSeveralTopLevelCategories()
    {
        Assert.Equal(TableDimension.TotalCode, SampleTables.Sex.Total);
        Assert.Equal("PK", new TableDimension("geography", [new("PK"), new("PK-PB", "PK")]).Total);
    }

    [Fact]
    public void Dimension_InvalidCategories_Throw()
    {
        Assert.Throws<ArgumentException>(() => new TableDimension("sex", []));
        Assert.Throws<ArgumentException>(() => new TableDimension("sex", [new("girl"), new("girl")]));
        Assert.Throws<ArgumentException>(() => new TableDimension("sex", [new("total")]));
        Assert.Throws<ArgumentException>(() => new TableDimension("geo", [new("a", "missing")]));
        Assert.Throws<ArgumentException>(() => new TableDimension("geo", [new("a", "b"), new("b", "a")]));
        Assert.Throws<ArgumentException>(() => new TableDimension("geo", [new("top"), new("a", "b"), new("b", "a")]));
        Assert.Throws<ArgumentException>(() => new TableDimension("bad name", [new("a")]));
        Assert.Throws<ArgumentException>(() => new TableCategory("a", "a"));
    }

    [Fact]
    public void Construction_InvalidCells_Throw()
    {
        var geo = new TableDimension("geography", [new("PK"), new("PK-PB", "PK"), new("s1", "PK-PB")]);
        Assert.Throws<ArgumentException>(() => new PublicationTable([geo], [new(5, "PK-PB")]));
        Assert.Throws<ArgumentException>(() => new PublicationTable([geo], [new(5, "nowhere")]));
        Assert.Throws<ArgumentException>(() => new PublicationTable([geo], [new(5, "s1", "girl")]));
        Assert.Throws<ArgumentException>(() => new PublicationTable([geo], [new(5, "s1"), new(6, "s1")]));
        Assert.Throws<ArgumentException>(() => new PublicationTable([geo, geo], []));
        Assert.Throws<ArgumentException>(() => new PublicationTable([new TableDimension("value", [new("a")])], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TableCell(-1, "s1"));
    }
}
