using System.Xml;
using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Exchange;

/// <summary>Reads the results of IATI activity XML 2.03 back into reported actuals.</summary>
/// <remarks>
/// <para>An activity's own id is its <c>other-identifier</c> of type A1, or else its identifier without the reporting
/// organisation's prefix; a child activity (<c>hierarchy="2"</c>) is the phase of the partnership its
/// <c>related-activity</c> of type 1 names. An indicator is known by its <c>reference</c> of vocabulary 99. Each period's
/// <c>actual</c> without <c>dimension</c> or <c>location</c> is the total; an <c>actual</c> with one <c>location</c> is that
/// province's figure, and one with one <c>dimension</c> (an <c>ageScheme</c> beside an <c>ageBand</c> aside) is that
/// category's. Breakdowns our model carries (sex, role, age band, province) become the actual's disaggregations; a
/// period without a total (suppressed, or not reported) gives no actual. Figures are read as published: whether they
/// can be combined with others is for progress (its accumulation rules) to judge.</para>
/// </remarks>
public static class IatiResults
{
    /// <summary>Reads the results of every activity.</summary>
    /// <param name="input">The IATI activity XML.</param>
    /// <param name="dataset">
    /// The dataset the figures belong to, or <c>null</c>: with it, the reporting organisation is matched by its IATI identifier
    /// (<see cref="ReportedActual.ReportedBy"/>) and activities of partnerships it does not hold are left out.
    /// </param>
    /// <returns>The actuals, in the order the file holds them.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="DataFormatException">The input is not well-formed XML, or a period's dates or an actual's value cannot be read.</exception>
    public static IReadOnlyList<ReportedActual> Read(Stream input, ProgrammeDataset? dataset = null)
    {
        Preconditions.CheckNotNull(input);
        var activities = new List<ActivityFigures>();
        using var xml = ExchangeText.XmlInput(input);
        try
        {
            ActivityFigures? activity = null;
            var inIdentifier = false;
            while (xml.Read())
            {
                if (inIdentifier && xml.NodeType == XmlNodeType.Text && activity is not null)
                {
                    activity.Identifier = xml.Value.Trim();
                }
                inIdentifier = false;
                if (xml.NodeType != XmlNodeType.Element)
                {
                    continue;
                }
                switch (xml.LocalName)
                {
                    case "iati-activity":
                        activity = new ActivityFigures { Hierarchy = xml.GetAttribute("hierarchy") ?? "1" };
                        activities.Add(activity);
                        break;
                    case "iati-identifier":
                        inIdentifier = true;
                        break;
                    case "reporting-org" when activity is not null:
                        activity.Reporter = xml.GetAttribute("ref");
                        break;
                    case "other-identifier" when activity is not null && xml.GetAttribute("type") == "A1":
                        activity.OwnId = xml.GetAttribute("ref");
                        break;
                    case "related-activity" when activity is not null && xml.GetAttribute("type") == "1":
                        activity.Parent = xml.GetAttribute("ref");
                        break;
                    case "indicator" when activity is not null:
                        using (var indicator = xml.ReadSubtree())
                        {
                            ReadIndicator(indicator, activity);
                        }
                        break;
                }
            }
        }
        catch (XmlException error)
        {
            throw new DataFormatException("The IATI input is not well-formed XML.", null, null, error.LineNumber, error.LinePosition, error);
        }
        return Collect(activities, dataset);
    }

    private static IReadOnlyList<ReportedActual> Collect(List<ActivityFigures> activities, ProgrammeDataset? dataset)
    {
        var ids = activities.Where(a => a.Identifier is not null).GroupBy(a => a.Identifier!).ToDictionary(g => g.Key, g => g.First().Id);
        var partnerships = dataset?.Partnerships.ToDictionary(p => p.Id.Value, p => p);
        var collector = new ActualsCollector();
        var reporters = new Dictionary<Id<Partnership>, Id<Organisation>?>();
        foreach (var activity in activities)
        {
            string? partnershipId, phaseId = null;
            if (activity.Hierarchy == "2")
            {
                partnershipId = activity.Parent is { } parent && ids.TryGetValue(parent, out var parentId) ? parentId : null;
                phaseId = activity.Id;
            }
            else
            {
                partnershipId = activity.Id;
            }
            if (partnershipId is null || !Identifiers.IsValid(partnershipId) || (phaseId is not null && !Identifiers.IsValid(phaseId))
                || (partnerships is not null && (!partnerships.TryGetValue(partnershipId, out var known)
                    || (phaseId is not null && !known.Phases.Any(p => p.Id.Value == phaseId)))))
            {
                continue;
            }
            var partnership = new Id<Partnership>(partnershipId);
            if (dataset is not null && activity.Reporter is { } reporter)
            {
                reporters[partnership] = dataset.Organisations.FirstOrDefault(o => o.IatiIdentifier?.Value == reporter)?.Id;
            }
            foreach (var (indicator, period, breakdown, value) in activity.Figures)
            {
                collector.Add(indicator, partnership, phaseId is null ? null : new Id<Phase>(phaseId), period, breakdown, value);
            }
        }
        return collector.ToActuals(p => reporters.GetValueOrDefault(p));
    }

    private static void ReadIndicator(XmlReader xml, ActivityFigures activity)
    {
        Id<Indicator>? indicator = null;
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }
            if (xml.LocalName == "reference" && xml.GetAttribute("vocabulary") == "99" && xml.GetAttribute("code") is { } code && Identifiers.IsValid(code))
            {
                indicator = new Id<Indicator>(code);
            }
            else if (xml.LocalName == "period" && indicator is { } id)
            {
                using var period = xml.ReadSubtree();
                ReadPeriod(period, id, activity);
            }
        }
    }

    private static void ReadPeriod(XmlReader xml, Id<Indicator> indicator, ActivityFigures activity)
    {
        LocalDate? start = null, end = null;
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }
            switch (xml.LocalName)
            {
                case "period-start":
                    start = ExchangeText.ParseDate(xml.GetAttribute("iso-date")) ?? throw BadPeriod();
                    break;
                case "period-end":
                    end = ExchangeText.ParseDate(xml.GetAttribute("iso-date")) ?? throw BadPeriod();
                    break;
                case "actual":
                    if (start is not { } s || end is not { } e || e < s)
                    {
                        throw BadPeriod();
                    }
                    var value = ExchangeText.ParseNumber(xml.GetAttribute("value"));
                    var breakdown = new List<FigureCategory>();
                    if (!xml.IsEmptyElement)
                    {
                        using var actual = xml.ReadSubtree();
                        while (actual.Read())
                        {
                            if (actual.NodeType != XmlNodeType.Element)
                            {
                                continue;
                            }
                            if (actual.LocalName == "location" && actual.GetAttribute("ref") is { } place)
                            {
                                breakdown.Add(new FigureCategory(IatiActivities.ProvinceDimension, place));
                            }
                            else if (actual.LocalName == "dimension" && actual.GetAttribute("name") is { } name && name is not (IatiActivities.AgeSchemeDimension or IatiActivities.DisabilityCutoffDimension)
                                && actual.GetAttribute("value") is { } category)
                            {
                                breakdown.Add(new FigureCategory(name, category));
                            }
                        }
                    }
                    if (value is not { } v || v < 0 || !FigureLimit.Holds(v))
                    {
                        throw new DataFormatException("An IATI actual's value is missing, not a decimal number, negative or beyond the largest figure.");
                    }
                    activity.Figures.Add((indicator, new DateInterval(s, e), breakdown, v));
                    break;
            }
        }

        static DataFormatException BadPeriod() =>
            new("An IATI result period needs period-start and period-end dates (yyyy-MM-dd), the start not after the end, before its actuals.");
    }

    private sealed class ActivityFigures
    {
        public string Hierarchy { get; init; } = "1";

        public string? Identifier { get; set; }

        public string? OwnId { get; set; }

        public string? Reporter { get; set; }

        public string? Parent { get; set; }

        /// <summary>Our id: the A1 other-identifier, or the identifier without the reporting organisation's prefix.</summary>
        public string? Id => OwnId
            ?? (Identifier is { } identifier && Reporter is { } reporter && identifier.StartsWith(reporter + "-", StringComparison.Ordinal)
                ? identifier[(reporter.Length + 1)..]
                : Identifier);

        public List<(Id<Indicator> Indicator, DateInterval Period, List<FigureCategory> Breakdown, decimal Value)> Figures { get; } = [];
    }
}
