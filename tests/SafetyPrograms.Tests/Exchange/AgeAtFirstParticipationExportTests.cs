using System.Globalization;
using System.Xml.Linq;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;
using SafetyPrograms.Tests.Aggregation;

namespace SafetyPrograms.Tests.Exchange;

/// <summary>
/// Exports break unique people down by their age at first participation, as the report does: a child who has a birthday
/// during the programme is one child in one band, so each export's age breakdown adds up to its total.
/// </summary>
public sealed class AgeAtFirstParticipationExportTests
{
    private static readonly PublicationPolicy Open = new(minimumCellSize: 1);

    /// <summary>A generated programme plus one child seen at nine and again, later, at ten.</summary>
    private static ExchangeData WithABirthday(out int crossers)
    {
        var (dataset, store) = ExchangeSamples.Generated(61);
        // The same records ExchangeSamples.Generated appended: two sessions of one activity on different days.
        var records = TestProgramme.Build(61, records: 2500, beneficiaries: 300).Records.Where(r => r.Date <= ExchangeSamples.AsOf).ToList();
        var (early, late) = records.SelectMany(r => records.Where(o => o.Activity == r.Activity && o.Date > r.Date).Select(o => (r, o))).First();
        ParticipationRecord At(ParticipationRecord session, int age) => new(
            new("birthday-child"), session.Activity, session.Date, BeneficiaryRole.Student, Sex.Female, AgeBand.NotRecorded,
            DeliveryMode.InPerson, true, session.School, age: age);
        Assert.Equal(0, store.Append([At(early, 9), At(late, 10)]).Rejected);
        // Counted by each record's own age, people would be in two bands: the breakdown could not be published at all.
        var byRecord = store.Query().GroupBy(Dimension.Age).Measure(Measure.UniqueBeneficiaries).Run().Rows.Sum(r => r[Measure.UniqueBeneficiaries]!.Value);
        var people = store.Query().Measure(Measure.UniqueBeneficiaries).Run().Rows[0][Measure.UniqueBeneficiaries]!.Value;
        crossers = (int)(byRecord - people);
        return ExchangeData.Publish(dataset, Open, ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
    }

    [Fact]
    public void EveryExportsAgeBreakdown_CountsEachPersonOnce()
    {
        var data = WithABirthday(out var crossers);
        Assert.True(crossers >= 1, "the case should have someone in two bands by their records' own ages");
        var reach = data.Series.Where(s => s.Indicator.Id.Value == "REACH").ToList();
        Assert.NotEmpty(reach);
        foreach (var series in reach)
        {
            var total = series.Figures.Single(f => f.IsTotal).Value;
            var ages = series.Figures.Where(f => f.CategoryOf("age") is not null).ToList();
            Assert.NotEmpty(ages);
            Assert.Equal(total, ages.Sum(f => f.Value));
        }

        // SDMX: the AGE_UN_CHILD observations of each series add up to its total.
        using var csv = new StringWriter();
        Sdmx.WriteCsv(data, csv);
        var rows = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var column = (string name) => Array.IndexOf(rows[0], name);
        var reachRows = rows.Skip(1).Where(r => r[column("INDICATOR")] == "REACH").ToList();
        var otherBreakdowns = rows[0].Select((name, i) => (name, i)).Where(c => c.i > column("REF_AREA") && c.i < column("TIME_PERIOD") && c.name != "AGE_UN_CHILD").Select(c => c.i).ToList();
        foreach (var scope in reachRows.GroupBy(r => (r[column("PROGRAMME")], r[column("TIME_PERIOD")])))
        {
            var plain = scope.Where(r => otherBreakdowns.All(i => r[i] == "_T") && r[column("REF_AREA")] == "PK").ToList();
            var total = decimal.Parse(plain.Single(r => r[column("AGE_UN_CHILD")] == "_T")[column("OBS_VALUE")], CultureInfo.InvariantCulture);
            Assert.Equal(total, plain.Where(r => r[column("AGE_UN_CHILD")] != "_T").Sum(r => decimal.Parse(r[column("OBS_VALUE")], CultureInfo.InvariantCulture)));
        }

        // IATI: per result period, the actuals with an age dimension add up to the total actual.
        using var iati = new MemoryStream();
        IatiActivities.Write(data, iati);
        iati.Position = 0;
        var periods = XDocument.Load(iati).Descendants("indicator").Where(i => (string?)i.Attribute("ref") == "REACH" || i.Elements("reference").Any(r => (string?)r.Attribute("code") == "REACH"))
            .SelectMany(i => i.Elements("period")).ToList();
        Assert.NotEmpty(periods);
        foreach (var period in periods)
        {
            var actuals = period.Elements("actual").ToList();
            var total = actuals.Where(a => !a.Elements("dimension").Any() && !a.Elements("location").Any()).Select(a => (decimal)a.Attribute("value")!).Single();
            var byAge = actuals.Where(a => a.Elements("dimension").Any(d => (string?)d.Attribute("name") == "age")).Sum(a => (decimal)a.Attribute("value")!);
            Assert.Equal(total, byAge);
        }

        // ADX: per group, the REACH data values with an age attribute add up to the one without any attribute.
        var mapping = ExchangeSamples.GeneratedMapping(data.Dataset, withAge: true);
        using var adx = new MemoryStream();
        Adx.Write(data, mapping, adx);
        adx.Position = 0;
        var groups = XDocument.Load(adx).Descendants().Where(e => e.Name.LocalName == "group" && (string?)e.Attribute("orgUnit") == "OU_PK").ToList();
        var checkedGroups = 0;
        foreach (var group in groups)
        {
            var values = group.Elements().Where(v => (string?)v.Attribute("dataElement") == "DE_REACH").ToList();
            if (values.Count == 0)
            {
                continue;
            }
            var total = values.Single(v => v.Attributes().Count() == 2);
            var byAge = values.Where(v => v.Attribute("ageUnChild") is not null).Sum(v => (decimal)v.Attribute("value")!);
            Assert.Equal((decimal)total.Attribute("value")!, byAge);
            checkedGroups++;
        }
        Assert.True(checkedGroups > 0);

        // HXL: the reach row's age columns add up to #reached.
        using var hxl = new StringWriter();
        Hxl.WriteReach(data, hxl);
        var table = hxl.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var reached = Array.IndexOf(table[1], "#reached");
        var ageColumns = table[1].Select((t, i) => (t, i)).Where(c => c.t.StartsWith("#reached+age_un_child", StringComparison.Ordinal)).Select(c => c.i).ToList();
        Assert.NotEmpty(ageColumns);
        foreach (var row in table.Skip(2).Where(r => r[Array.IndexOf(table[1], "#indicator+code")] == "REACH" && r[Array.IndexOf(table[1], "#adm1+code")].Length == 0))
        {
            Assert.Equal(decimal.Parse(row[reached], CultureInfo.InvariantCulture), ageColumns.Sum(i => decimal.Parse(row[i], CultureInfo.InvariantCulture)));
        }
    }
}
