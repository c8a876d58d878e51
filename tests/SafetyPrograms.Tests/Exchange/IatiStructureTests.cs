using System.Xml.Linq;
using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Exchange;

/// <summary>
/// The IATI choices issue 14 names, which neither the schema nor the validator's rules check: phases as child
/// activities, identifiers that start with their reporter's, provinces by ISO 3166-2 in <c>location/@ref</c>,
/// unique-people results marked not aggregable, and <c>@ascending</c> from the indicator's direction.
/// </summary>
public sealed class IatiStructureTests
{
    private static XDocument Activities(out ExchangeData data)
    {
        var (dataset, store) = ExchangeSamples.Generated(21);
        data = ExchangeData.Publish(dataset, PublicationPolicy.Default, ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
        using var stream = new MemoryStream();
        IatiActivities.Write(data, stream, IatiUnidentifiedProgrammes.LeaveOut);
        stream.Position = 0;
        return XDocument.Load(stream);
    }

    [Fact]
    public void Phases_AreChildActivities_LinkedBothWays_AndEveryIdentifierStartsWithItsReporters()
    {
        var activities = Activities(out var data).Descendants("iati-activity").ToList();
        var byIdentifier = activities.ToDictionary(a => a.Element("iati-identifier")!.Value);
        Assert.Equal(data.Dataset.Partnerships.Count + data.Dataset.Partnerships.Sum(p => p.Phases.Count), activities.Count);
        foreach (var activity in activities)
        {
            var identifier = activity.Element("iati-identifier")!.Value;
            Assert.StartsWith((string)activity.Element("reporting-org")!.Attribute("ref")! + "-", identifier, StringComparison.Ordinal);
            var related = activity.Elements("related-activity").Select(r => ((string)r.Attribute("type")!, (string)r.Attribute("ref")!)).ToList();
            if ((string?)activity.Attribute("hierarchy") == "2")
            {
                // A phase names its partnership as parent (type 1), and the parent names it as a child (type 2).
                var parent = Assert.Single(related, r => r.Item1 == "1").Item2;
                Assert.Equal("1", (string?)byIdentifier[parent].Attribute("hierarchy"));
                Assert.Contains(byIdentifier[parent].Elements("related-activity"), r => (string?)r.Attribute("type") == "2" && r.Attribute("ref")!.Value == identifier);
            }
            else
            {
                Assert.Equal("1", (string?)activity.Attribute("hierarchy"));
                Assert.DoesNotContain(related, r => r.Item1 == "1");
            }
        }
        Assert.Contains(activities, a => (string?)a.Attribute("hierarchy") == "2");
    }

    [Fact]
    public void Results_OfUniquePeople_AreNotAggregable_AscendingFollowsTheDirection_AndProvincesAreIsoCodesInLocationRef()
    {
        var document = Activities(out var data);
        var indicators = data.Dataset.Indicators.ToDictionary(i => i.Id.Value);
        var results = document.Descendants("result").ToList();
        Assert.Contains(results, r => r.Attribute("aggregation-status")!.Value == "false");
        Assert.Contains(results, r => r.Attribute("aggregation-status")!.Value == "true");
        foreach (var result in results)
        {
            var indicator = result.Element("indicator")!;
            var ours = indicators[(string)indicator.Element("reference")!.Attribute("code")!];
            var additive = ours.Unit == IndicatorUnit.Count && ours.Basis != CountingBasis.UniquePeople ? "true" : "false";
            Assert.Equal(additive, (string?)result.Attribute("aggregation-status"));
            Assert.Equal(additive, (string?)indicator.Attribute("aggregation-status"));
            Assert.Equal(ours.Direction == Direction.HigherIsBetter ? "true" : "false", (string?)indicator.Attribute("ascending"));
        }
        var places = document.Descendants("location").Select(l => (string)l.Attribute("ref")!).ToList();
        Assert.NotEmpty(places);
        var provinces = Subdivisions.Pakistan.Select(s => s.Code.Value).ToHashSet(StringComparer.Ordinal);
        Assert.All(places, p => Assert.Contains(p, provinces));
        // An actual by province carries its location; the activity lists every province its actuals name.
        foreach (var activity in document.Descendants("iati-activity"))
        {
            var listed = activity.Elements("location").Select(l => (string)l.Attribute("ref")!).ToHashSet(StringComparer.Ordinal);
            Assert.All(activity.Descendants("actual").Elements("location").Select(l => (string)l.Attribute("ref")!), p => Assert.Contains(p, listed));
        }
        Assert.Contains(document.Descendants("actual"), a => a.Elements("location").Any());
    }
}
