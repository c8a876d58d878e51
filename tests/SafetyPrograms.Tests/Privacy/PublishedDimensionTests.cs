using System.Text;
using System.Text.Json;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

/// <summary>A published table describes its dimensions as its readers see them, in the API and in its JSON.</summary>
public class PublishedDimensionTests
{
    private static readonly PublishedTable Published = PublicationPolicy.Default.Apply(new PublicationTable(
        [
            new TableDimension("geography", [new("PK"), new("PK-PB", "PK"), new("S1", "PK-PB"), new("S2", "PK-PB"), new("PK-SD", "PK"), new("S3", "PK-SD")]),
            SampleTables.Sex,
        ],
        [new(40, "S1", "girl"), new(41, "S2", "boy"), new(42, "S3", "notRecorded")]));

    [Fact]
    public void Dimensions_GiveNameTotalCategoriesParentsAndLeaves()
    {
        var geography = Published.Dimensions[0];

        Assert.Equal(("geography", "PK"), (geography.Name, geography.Total));
        Assert.Equal(["PK", "PK-PB", "S1", "S2", "PK-SD", "S3"], geography.Categories);
        Assert.Equal([null, "PK", "PK-PB", "PK-PB", "PK", "PK-SD"], geography.Categories.Select(geography.ParentOf));
        Assert.Equal(["S1", "S2", "S3"], geography.Categories.Where(geography.IsLeaf));
        Assert.Equal(("sex", "total"), (Published.Dimensions[1].Name, Published.Dimensions[1].Total));
        Assert.Equal(123, Published[geography.Total, Published.Dimensions[1].Total].Value);
    }

    [Fact]
    public void ParentOf_CodeNotACategory_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Published.Dimensions[0].ParentOf("PK-KP"));

        Assert.Equal("code", error.ParamName);
    }

    [Fact]
    public void WriteJson_DimensionsCarryTheirCategoriesAndParents()
    {
        using var stream = new MemoryStream();
        PublishedTableWriter.WriteJson(Published, stream);
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));

        var geography = document.RootElement.GetProperty("dimensions")[0];
        Assert.Equal("PK", geography.GetProperty("total").GetString());
        var categories = geography.GetProperty("categories").EnumerateArray()
            .Select(c => (c.GetProperty("code").GetString(), c.TryGetProperty("parent", out var p) ? p.GetString() : null))
            .ToList();
        Assert.Equal([("PK", null), ("PK-PB", "PK"), ("S1", "PK-PB"), ("S2", "PK-PB"), ("PK-SD", "PK"), ("S3", "PK-SD")], categories);
    }
}
