using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

/// <summary>Seeded random tables shaped like programme data: sparse, with many small cells.</summary>
internal static class SampleTables
{
    internal static readonly TableDimension Sex = new("sex", [new("girl"), new("boy"), new("notRecorded")]);
    internal static readonly TableDimension AgeBand = new("ageBand", [new("10-14"), new("15-17")]);

    internal static long Count(Random random) => random.Next(10) switch
    {
        < 3 => random.Next(1, 10),
        3 => 0,
        _ => random.Next(10, 80),
    };

    internal static PublicationTable Flat(Random random)
    {
        var rows = new TableDimension("school", Enumerable.Range(1, random.Next(2, 6)).Select(i => new TableCategory($"s{i}")));
        var columns = new TableDimension("activity", Enumerable.Range(1, random.Next(2, 6)).Select(i => new TableCategory($"a{i}")));
        return Fill(random, rows, columns);
    }

    /// <summary>country &gt; province &gt; district &gt; school.</summary>
    internal static TableDimension Geography(Random random, int maxProvinces = 2, int maxDistricts = 3, int maxSchools = 3)
    {
        var categories = new List<TableCategory> { new("PK") };
        string[] provinces = ["PK-PB", "PK-SD", "PK-KP", "PK-BA"];
        foreach (var province in provinces.Take(random.Next(1, maxProvinces + 1)))
        {
            categories.Add(new(province, "PK"));
            for (var d = 1; d <= random.Next(1, maxDistricts + 1); d++)
            {
                var district = $"{province}-d{d}";
                categories.Add(new(district, province));
                for (var s = 1; s <= random.Next(1, maxSchools + 1); s++)
                {
                    categories.Add(new($"{district}-s{s}", district));
                }
            }
        }
        return new TableDimension("geography", categories);
    }

    internal static PublicationTable Fill(Random random, params TableDimension[] dimensions)
    {
        var leaves = dimensions.Select(d => d.Categories.Where(c => d.IsLeaf(c.Code)).Select(c => c.Code).ToArray()).ToArray();
        var coordinates = leaves.Aggregate(
            (IEnumerable<string[]>)[[]],
            (acc, set) => acc.SelectMany(prefix => set.Select(code => (string[])[.. prefix, code])));
        return new PublicationTable(dimensions, coordinates.Select(c => new TableCell(Count(random), c)).ToList());
    }
}
