using System.Xml;
using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Exchange;

/// <summary>
/// IATI activity XML 2.03: one <c>iati-activity</c> per partnership, its phases as child activities, and results with
/// targets, actuals and their breakdowns; and the way back, from an activity file's results to reported actuals.
/// </summary>
/// <remarks>
/// <para>Each partnership is reported by its lead when the lead has an IATI organisation identifier, otherwise by the
/// first other member that has one. A partnership none of whose organisations has one cannot be published to IATI: by
/// default the export is refused before anything is written, naming each such partnership and the organisation to give an
/// identifier (its lead); with <see cref="IatiUnidentifiedProgrammes.LeaveOut"/> it is left out and noted. The activity identifier is the reporting organisation's identifier, a hyphen and the partnership's (or
/// phase's) id, with characters IATI reserves replaced by <c>-</c>; the id itself travels unchanged in
/// <c>other-identifier</c> type A1 (the reporting organisation's own identifier), which the reader uses.</para>
/// <para>Phases are child activities (<c>hierarchy="2"</c>, <c>related-activity</c> type 1 to the parent, type 2 from it)
/// rather than result periods, so that a phase keeps its own dates, status and results. Results: type from the result
/// level, <c>indicator/@measure</c> from the unit (count and score 1, percent 2), <c>@ascending</c> from the direction,
/// <c>@aggregation-status="false"</c> for unique-people counts and levels (percentages, scores), the indicator's code as a <c>reference</c> of vocabulary 99
/// (the reporting organisation's), baseline, and one period per series with its target and actual; each breakdown is a
/// further <c>actual</c> with <c>dimension</c> (sex, ageBand with the ageScheme it is banded by, role, disability, …) or a
/// <c>location</c> pointing at the activity's location for that province (ISO 3166-2 in <c>location/@ref</c>: IATI has no
/// vocabulary for it). A suppressed figure is omitted. Written with a streaming <see cref="XmlWriter"/>.</para>
/// </remarks>
public static class IatiActivities
{
    /// <summary>The IATI standard version written.</summary>
    public const string Version = "2.03";

    /// <summary>The age scheme the engine's age bands follow, written beside every age-band breakdown.</summary>
    public const string AgeScheme = "safetyprograms-unicef-child";

    internal const string AgeBandDimension = "ageBand";
    internal const string AgeSchemeDimension = "ageScheme";

    internal const string AgeDimension = "age";

    internal const string DisabilityDimension = "disability";

    internal const string DisabilityCutoffDimension = "disabilityCutoff";

    /// <summary>
    /// The dimension that states how a breakdown dimension's categories were drawn, and its value: the band list of
    /// <c>ageBand</c>, the scheme the recount bands <c>age</c> by (the engine's default), the Washington Group cut-off of
    /// <c>disability</c>; <c>null</c> for a dimension whose categories need no such statement. Every writer asks here.
    /// </summary>
    internal static (string Dimension, string Value)? QualifierOf(string dimension, ExchangeData data) => dimension switch
    {
        AgeBandDimension => (AgeSchemeDimension, AgeScheme),
        AgeDimension => (AgeSchemeDimension, data.AgeScheme.Code),
        DisabilityDimension => (DisabilityCutoffDimension, data.DisabilityCutoff.Code),
        _ => null,
    };

    /// <summary>The value of a qualifier (<see cref="AgeSchemeDimension"/> or <see cref="DisabilityCutoffDimension"/>) for a figure, if it has one.</summary>
    internal static string? QualifierOf(ExchangeFigure figure, string qualifier, ExchangeData data) => figure.Breakdown
        .Select(c => QualifierOf(c.Dimension, data)).FirstOrDefault(q => q?.Dimension == qualifier)?.Value;
    internal const string ProvinceDimension = "province";
    private const string OwnIdentifierType = "A1";
    private const string Sector = "15160";
    private const string ReportingOrganisationVocabulary = "99";

    /// <summary>Writes the activities, refusing a partnership none of whose organisations has an IATI identifier.</summary>
    /// <param name="data">The figures, through the publication policy.</param>
    /// <param name="output">Where to write UTF-8 XML; left open.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// A partnership none of whose organisations has an IATI organisation identifier: the message names each one and the
    /// organisation to give an identifier. Nothing is written.
    /// </exception>
    public static ExportSummary Write(ExchangeData data, Stream output) => Write(data, output, IatiUnidentifiedProgrammes.Refuse);

    /// <summary>Writes the activities.</summary>
    /// <param name="data">The figures, through the publication policy.</param>
    /// <param name="output">Where to write UTF-8 XML; left open.</param>
    /// <param name="unidentified">What to do with a partnership none of whose organisations has an IATI organisation identifier.</param>
    /// <returns>What was written, and each partnership left out with why.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="unidentified"/> is <see cref="IatiUnidentifiedProgrammes.Refuse"/> and a partnership none of whose
    /// organisations has an IATI organisation identifier is in the data: the message names each one and the organisation
    /// to give an identifier. Nothing is written.
    /// </exception>
    public static ExportSummary Write(ExchangeData data, Stream output, IatiUnidentifiedProgrammes unidentified)
    {
        Preconditions.CheckNotNull(data);
        Preconditions.CheckNotNull(output);
        Preconditions.CheckArgument(Enum.IsDefined(unidentified), nameof(unidentified), "Unknown choice for unidentified programmes.");
        var tally = new ExportTally(data);
        var organisations = data.Dataset.Organisations.GroupBy(o => o.Id).ToDictionary(g => g.Key, g => g.First());
        if (unidentified == IatiUnidentifiedProgrammes.Refuse && Unidentified(data.Dataset, organisations) is { Count: > 0 } missing)
        {
            throw new ArgumentException(
                "Cannot publish to IATI: " + string.Join("; ", missing) + ". An IATI activity identifier starts with its reporting "
                + "organisation's identifier: add \"iatiIdentifier\" (such as XM-DAC-41122) to that organisation in the dataset, "
                + "or leave such programmes out (IatiUnidentifiedProgrammes.LeaveOut; in the CLI, --iati-unidentified leave-out).",
                nameof(data));
        }
        var series = data.Series.ToLookup(s => (s.Partnership, s.Phase));
        var today = data.Exported.InUtc().Date;
        using var xml = ExchangeText.Xml(output);
        xml.WriteStartDocument();
        xml.WriteStartElement("iati-activities");
        xml.WriteAttributeString("version", Version);
        xml.WriteAttributeString("generated-datetime", ExchangeText.Timestamp(data.Exported));
        foreach (var partnership in data.Dataset.Partnerships)
        {
            if (ReportingOrganisation(partnership, organisations) is not { } reporter)
            {
                tally.Note($"{partnership.Id}: left out of IATI, because none of its organisations has an IATI organisation identifier (give one to {OrganisationToFix(partnership, organisations)}).");
                continue;
            }
            var identifier = ActivityIdentifier(reporter.IatiIdentifier!.Value, partnership.Id.Value);
            var activity = new Activity(identifier, partnership.Id.Value, partnership.Name, partnership.Description ?? partnership.Name,
                partnership.Period, partnership.Status, 1, null, [.. partnership.Phases.Select(ph => ActivityIdentifier(reporter.IatiIdentifier!.Value, ph.Id.Value))]);
            WriteActivity(xml, data, activity, partnership, reporter, organisations, series[(partnership.Id, null)], today, tally);
            foreach (var phase in partnership.Phases)
            {
                var child = new Activity(ActivityIdentifier(reporter.IatiIdentifier!.Value, phase.Id.Value), phase.Id.Value,
                    $"{partnership.Name}: {phase.Name}", partnership.Description ?? phase.Name, phase.Period, phase.Status, 2, identifier, []);
                WriteActivity(xml, data, child, partnership, reporter, organisations, series[(partnership.Id, phase.Id)], today, tally, phase);
            }
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
        return tally.ToSummary();
    }

    /// <summary>The activity identifier: the reporting organisation's, a hyphen, and our id with IATI's reserved characters replaced.</summary>
    internal static string ActivityIdentifier(IatiIdentifier reporter, string id) =>
        reporter.Value + "-" + string.Concat(id.Select(c => IatiIdentifier.IsIdentifierChar(c) ? c : '-'));

    private sealed record Activity(
        string Identifier, string Id, string Title, string Description, DatePeriod Period, ProgrammeStatus Status, int Hierarchy,
        string? Parent, IReadOnlyList<string> Children);

    /// <summary>Each partnership that cannot be reported, with the organisation to fix, in words.</summary>
    private static List<string> Unidentified(ProgrammeDataset dataset, Dictionary<Id<Organisation>, Organisation> organisations) =>
        [.. dataset.Partnerships.Where(p => ReportingOrganisation(p, organisations) is null)
            .Select(p => $"none of the organisations of {p.Id} has an IATI organisation identifier (give one to {OrganisationToFix(p, organisations)})")];

    /// <summary>The organisation that should report a partnership: its lead, else its first member; named with its id.</summary>
    private static string OrganisationToFix(Partnership partnership, Dictionary<Id<Organisation>, Organisation> organisations)
    {
        if (partnership.Members.Count == 0)
        {
            return "one of its members (it has none)";
        }
        var id = partnership.Members.OrderBy(m => m.Role == PartnershipRole.Lead ? 0 : 1).First().Organisation;
        return organisations.TryGetValue(id, out var organisation) ? $"{organisation.Name} ({id})" : id.ToString();
    }

    private static Organisation? ReportingOrganisation(Partnership partnership, Dictionary<Id<Organisation>, Organisation> organisations) =>
        partnership.Members
            .OrderBy(m => m.Role == PartnershipRole.Lead ? 0 : 1)
            .Select(m => organisations.GetValueOrDefault(m.Organisation))
            .FirstOrDefault(o => o?.IatiIdentifier is not null);

    private static void WriteActivity(
        XmlWriter xml, ExchangeData data, Activity activity, Partnership partnership, Organisation reporter,
        Dictionary<Id<Organisation>, Organisation> organisations, IEnumerable<ExchangeSeries> series, LocalDate today, ExportTally tally,
        Phase? phase = null)
    {
        var figures = series.ToList();
        xml.WriteStartElement("iati-activity");
        xml.WriteAttributeString("xml", "lang", null, "en");
        xml.WriteAttributeString("last-updated-datetime", ExchangeText.Timestamp(data.Exported));
        xml.WriteAttributeString("hierarchy", activity.Hierarchy.ToString(System.Globalization.CultureInfo.InvariantCulture));
        xml.WriteElementString("iati-identifier", activity.Identifier);
        xml.WriteStartElement("reporting-org");
        xml.WriteAttributeString("ref", reporter.IatiIdentifier!.Value.Value);
        xml.WriteAttributeString("type", OrganisationType(reporter.Kind));
        Narrative(xml, reporter.Name);
        xml.WriteEndElement();
        Text(xml, "title", activity.Title);
        xml.WriteStartElement("description");
        xml.WriteAttributeString("type", "1");
        Narrative(xml, activity.Description);
        xml.WriteEndElement();
        var participants = partnership.Members
            .Where(m => m.Role.ToIati() is not null && organisations.ContainsKey(m.Organisation))
            .Select(m => (Organisation: organisations[m.Organisation], Role: (int)m.Role.ToIati()!.Value))
            .Distinct()
            .OrderBy(p => p.Role)
            .ToList();
        if (participants.Count == 0)
        {
            participants.Add((reporter, (int)IatiOrganisationRole.Accountable));
        }
        foreach (var (organisation, role) in participants)
        {
            xml.WriteStartElement("participating-org");
            if (organisation.IatiIdentifier is { } id)
            {
                xml.WriteAttributeString("ref", id.Value);
            }
            xml.WriteAttributeString("type", OrganisationType(organisation.Kind));
            xml.WriteAttributeString("role", role.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Narrative(xml, organisation.Name);
            xml.WriteEndElement();
        }
        xml.WriteStartElement("other-identifier");
        xml.WriteAttributeString("ref", activity.Id);
        xml.WriteAttributeString("type", OwnIdentifierType);
        xml.WriteEndElement();
        xml.WriteStartElement("activity-status");
        xml.WriteAttributeString("code", ActivityStatus(activity.Status));
        xml.WriteEndElement();
        // An actual date may not lie in the future: a start still to come is a planned start.
        ActivityDate(xml, activity.Period.Start <= today && activity.Status != ProgrammeStatus.Planned ? "2" : "1", activity.Period.Start);
        if (activity.Period.End is { } end)
        {
            ActivityDate(xml, end <= today && activity.Status is ProgrammeStatus.Completed or ProgrammeStatus.Cancelled ? "4" : "3", end);
        }
        if (partnership.Country is { } country)
        {
            xml.WriteStartElement("recipient-country");
            xml.WriteAttributeString("code", country.Value);
            xml.WriteEndElement();
        }
        var provinces = Provinces(data.Dataset, partnership, phase, figures);
        foreach (var province in provinces)
        {
            xml.WriteStartElement("location");
            xml.WriteAttributeString("ref", province);
            Text(xml, "name", ExchangeText.ProvinceName(province));
            xml.WriteEndElement();
        }
        // Rule 6.2.2 asks every activity for a sector: child online protection is DAC 15160, human rights (the child's).
        xml.WriteStartElement("sector");
        xml.WriteAttributeString("vocabulary", "1");
        xml.WriteAttributeString("code", Sector);
        xml.WriteEndElement();
        if (activity.Parent is { } parent)
        {
            RelatedActivity(xml, parent, "1");
        }
        foreach (var child in activity.Children)
        {
            RelatedActivity(xml, child, "2");
        }
        foreach (var indicatorSeries in figures.GroupBy(s => s.Indicator.Id))
        {
            WriteResult(xml, data, [.. indicatorSeries], provinces, today, tally);
        }
        xml.WriteEndElement();
    }

    /// <summary>The provinces of the activity: of its schools (a phase's own, a partnership's all phases'), and of its figures.</summary>
    private static SortedSet<string> Provinces(ProgrammeDataset dataset, Partnership partnership, Phase? phase, List<ExchangeSeries> figures)
    {
        var schools = dataset.Schools.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
        var provinces = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var school in (phase is null ? partnership.Phases : [phase]).SelectMany(p => p.Schools))
        {
            if (schools.TryGetValue(school, out var s))
            {
                provinces.Add(s.Location.Province.Value);
            }
        }
        foreach (var category in figures.SelectMany(s => s.Figures).Select(f => f.CategoryOf(ProvinceDimension)).OfType<string>())
        {
            if (SubdivisionCode.IsValid(category))
            {
                provinces.Add(category);
            }
        }
        return provinces;
    }

    private static void WriteResult(XmlWriter xml, ExchangeData data, List<ExchangeSeries> series, SortedSet<string> provinces, LocalDate today, ExportTally tally)
    {
        var indicator = series[0].Indicator;
        xml.WriteStartElement("result");
        xml.WriteAttributeString("type", ResultType(indicator.Level));
        xml.WriteAttributeString("aggregation-status", series[0].IsAdditive ? "true" : "false");
        Text(xml, "title", indicator.Name);
        xml.WriteStartElement("indicator");
        xml.WriteAttributeString("measure", Measure(indicator.Unit));
        xml.WriteAttributeString("ascending", indicator.Direction == Direction.HigherIsBetter ? "true" : "false");
        // A unique count in one period or place cannot be added to another's, nor can a level: IATI must not aggregate them.
        xml.WriteAttributeString("aggregation-status", series[0].IsAdditive ? "true" : "false");
        Text(xml, "title", indicator.Name);
        if (indicator.Description is { } description)
        {
            Text(xml, "description", description);
        }
        xml.WriteStartElement("reference");
        xml.WriteAttributeString("vocabulary", ReportingOrganisationVocabulary);
        xml.WriteAttributeString("code", indicator.Id.Value);
        xml.WriteEndElement();
        if (indicator.Baseline is { } baseline)
        {
            xml.WriteStartElement("baseline");
            xml.WriteAttributeString("year", baseline.Date.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
            xml.WriteAttributeString("iso-date", ExchangeText.Date(baseline.Date));
            xml.WriteAttributeString("value", ExchangeText.Number(baseline.Value));
            xml.WriteEndElement();
        }
        foreach (var s in series)
        {
            if (s.Period.End > today)
            {
                tally.Note($"{s.ScopeText} {s.Indicator.Id}: a period ending after the export date is not published (IATI refuses actuals dated in the future).");
                continue;
            }
            xml.WriteStartElement("period");
            xml.WriteStartElement("period-start");
            xml.WriteAttributeString("iso-date", ExchangeText.Date(s.Period.Start));
            xml.WriteEndElement();
            xml.WriteStartElement("period-end");
            xml.WriteAttributeString("iso-date", ExchangeText.Date(s.Period.End));
            xml.WriteEndElement();
            if (s.Target is { } target)
            {
                xml.WriteStartElement("target");
                xml.WriteAttributeString("value", ExchangeText.Number(target));
                xml.WriteEndElement();
            }
            foreach (var figure in s.Figures)
            {
                if (figure.Value is not { } value)
                {
                    tally.Suppressed++;
                    continue;
                }
                tally.Written++;
                xml.WriteStartElement("actual");
                xml.WriteAttributeString("value", ExchangeText.Number(value));
                var province = figure.CategoryOf(ProvinceDimension);
                if (province is not null && provinces.Contains(province))
                {
                    xml.WriteStartElement("location");
                    xml.WriteAttributeString("ref", province);
                    xml.WriteEndElement();
                }
                foreach (var category in figure.Breakdown.Where(c => c.Dimension != ProvinceDimension || !provinces.Contains(c.Category)))
                {
                    Dimension(xml, category.Dimension, category.Category);
                    if (QualifierOf(category.Dimension, data) is var (qualifier, statement))
                    {
                        Dimension(xml, qualifier, statement);
                    }
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void Dimension(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("dimension");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", value);
        xml.WriteEndElement();
    }

    private static void RelatedActivity(XmlWriter xml, string identifier, string type)
    {
        xml.WriteStartElement("related-activity");
        xml.WriteAttributeString("ref", identifier);
        xml.WriteAttributeString("type", type);
        xml.WriteEndElement();
    }

    private static void ActivityDate(XmlWriter xml, string type, LocalDate date)
    {
        xml.WriteStartElement("activity-date");
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("iso-date", ExchangeText.Date(date));
        xml.WriteEndElement();
    }

    private static void Text(XmlWriter xml, string element, string text)
    {
        xml.WriteStartElement(element);
        Narrative(xml, text);
        xml.WriteEndElement();
    }

    private static void Narrative(XmlWriter xml, string text) => xml.WriteElementString("narrative", XmlSafe(text));

    /// <summary>Text as XML can carry it: a character XML 1.0 forbids becomes U+FFFD rather than failing the whole export.</summary>
    internal static string XmlSafe(string text) =>
        text.All(XmlConvert.IsXmlChar) ? text : string.Concat(text.Select(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD'));

    /// <summary>IATI's organisation type (code list OrganisationType) for our kinds of organisation.</summary>
    internal static string OrganisationType(OrganisationKind kind) => kind switch
    {
        OrganisationKind.Ministry or OrganisationKind.GovernmentAgency or OrganisationKind.DiplomaticMission => "10",
        OrganisationKind.Regulator or OrganisationKind.StatutoryCommission => "15",
        OrganisationKind.Ngo or OrganisationKind.CivilSociety => "22",
        OrganisationKind.UnAgency => "40",
        OrganisationKind.Foundation => "60",
        OrganisationKind.Platform or OrganisationKind.TelecomOperator or OrganisationKind.PrivateSector => "70",
        OrganisationKind.Academia => "80",
        _ => "90",
    };

    /// <summary>IATI's activity status (code list ActivityStatus).</summary>
    internal static string ActivityStatus(ProgrammeStatus status) => status switch
    {
        ProgrammeStatus.Planned => "1",
        ProgrammeStatus.Active => "2",
        ProgrammeStatus.Completed => "4",
        ProgrammeStatus.Cancelled => "5",
        _ => "6",
    };

    /// <summary>IATI's result type (code list ResultType) for a result level.</summary>
    internal static string ResultType(ResultLevel level) => level switch
    {
        ResultLevel.Output => "1",
        ResultLevel.Outcome => "2",
        _ => "3",
    };

    /// <summary>IATI's indicator measure (code list IndicatorMeasure): a percentage is 2; a count and a score are units (1).</summary>
    internal static string Measure(IndicatorUnit unit) => unit == IndicatorUnit.Percent ? "2" : "1";
}

/// <summary>What an IATI export does with a partnership none of whose organisations has an IATI organisation identifier.</summary>
/// <remarks>IATI identifies an activity by its reporting organisation's identifier, so such a partnership cannot be reported.</remarks>
public enum IatiUnidentifiedProgrammes
{
    /// <summary>Refuse the export before anything is written, naming each such partnership and the organisation to fix.</summary>
    Refuse,

    /// <summary>Leave such partnerships out, each noted in the export's summary.</summary>
    LeaveOut,
}
