using System.Xml;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Exchange;

/// <summary>
/// DHIS2 / IHE ADX (urn:ihe:qrph:adx:2015): figures as data values per organisation unit and period, in the caller's
/// DHIS2 codes (<see cref="AdxMapping"/>); the data structure the mapping defines, from which IHE's stylesheet makes a
/// strict schema; and the way back, from ADX data values to reported actuals.
/// </summary>
/// <remarks>
/// <para>Each series becomes one <c>group</c> per organisation unit: the country's for the total and the non-geographic
/// breakdowns, a province's for that province's figure. A group carries <c>dataSet</c>, <c>orgUnit</c>, <c>period</c> (an
/// ISO 8601 start and duration: <c>2025-07-01/P1Y</c> for a fiscal year, <c>P1M</c>, <c>P3M</c>, or days) and
/// <c>programme</c> (the attribute option of the partnership or phase); each <c>dataValue</c> its data element, value
/// and one attribute per breakdown category. A suppressed figure is omitted; so is anything the mapping does not list,
/// with a note in the summary. Written with a streaming <see cref="XmlWriter"/>.</para>
/// </remarks>
public static class Adx
{
    /// <summary>The ADX namespace.</summary>
    public const string Namespace = "urn:ihe:qrph:adx:2015";

    internal const string ProgrammeAttribute = "programme";

    /// <summary>Writes the figures as an ADX data message.</summary>
    /// <param name="data">The figures, through the publication policy.</param>
    /// <param name="mapping">The DHIS2 codes.</param>
    /// <param name="output">Where to write UTF-8 XML; left open.</param>
    /// <returns>What was written and left out.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException">The mapping leaves nothing to export: ADX requires at least one group.</exception>
    public static ExportSummary Write(ExchangeData data, AdxMapping mapping, Stream output)
    {
        Preconditions.CheckNotNull(data);
        Preconditions.CheckNotNull(mapping);
        Preconditions.CheckNotNull(output);
        var tally = new ExportTally(data);
        using var xml = ExchangeText.Xml(output);
        xml.WriteStartDocument();
        xml.WriteStartElement("adx", Namespace);
        xml.WriteAttributeString("exported", ExchangeText.Timestamp(data.Exported));
        var groups = 0;
        foreach (var series in data.Series)
        {
            var scope = (series.Phase ?? (object)series.Partnership).ToString()!;
            if (!mapping.DataElements.TryGetValue(series.Indicator.Id.Value, out var dataElement))
            {
                tally.Note($"{series.Indicator.Id}: no data element in the mapping, not exported.");
                continue;
            }
            if (!mapping.Programmes.TryGetValue(scope, out var programme))
            {
                tally.Note($"{scope}: no programme code in the mapping, not exported.");
                continue;
            }
            var country = data.Dataset.Partnerships.FirstOrDefault(p => p.Id == series.Partnership)?.Country?.Value;
            var byPlace = new SortedDictionary<string, List<(ExchangeFigure Figure, List<(string Attribute, string Code)> Categories)>>(StringComparer.Ordinal);
            foreach (var figure in series.Figures)
            {
                var place = figure.CategoryOf(IatiActivities.ProvinceDimension) ?? country;
                if (place is null || !mapping.OrgUnits.TryGetValue(place, out var orgUnit))
                {
                    tally.Note($"{place ?? "a programme without a country"}: no organisation unit in the mapping, its figures not exported.");
                    continue;
                }
                if (figure.Value is null)
                {
                    tally.Suppressed++;
                    continue;
                }
                var categories = new List<(string, string)>();
                foreach (var category in figure.Breakdown.Where(c => c.Dimension != IatiActivities.ProvinceDimension))
                {
                    if (mapping.Categories.TryGetValue(category.Dimension, out var map) && map.Options.TryGetValue(category.Category, out var code))
                    {
                        categories.Add((map.Attribute, code));
                    }
                    else
                    {
                        tally.Note($"{category.Dimension} {category.Category}: no category option in the mapping, not exported.");
                        categories = null;
                        break;
                    }
                }
                if (categories is not null)
                {
                    (byPlace.TryGetValue(orgUnit, out var list) ? list : byPlace[orgUnit] = []).Add((figure, categories));
                }
            }
            foreach (var (orgUnit, values) in byPlace)
            {
                xml.WriteStartElement("group", Namespace);
                xml.WriteAttributeString("orgUnit", orgUnit);
                xml.WriteAttributeString("period", ExchangeText.Duration(series.Period));
                xml.WriteAttributeString("dataSet", mapping.DataSet);
                xml.WriteAttributeString(ProgrammeAttribute, programme);
                foreach (var (figure, categories) in values)
                {
                    // How a category was drawn (the disability cut-off, the age scheme) has no place in ADX's attributes: a comment states it.
                    foreach (var qualifier in new[] { IatiActivities.DisabilityCutoffDimension, IatiActivities.AgeSchemeDimension })
                    {
                        if (IatiActivities.QualifierOf(figure, qualifier, data) is { } stated)
                        {
                            xml.WriteComment($" {qualifier}: {stated} ");
                        }
                    }
                    xml.WriteStartElement("dataValue", Namespace);
                    xml.WriteAttributeString("dataElement", dataElement);
                    xml.WriteAttributeString("value", ExchangeText.Number(figure.Value!.Value));
                    foreach (var (attribute, code) in categories)
                    {
                        xml.WriteAttributeString(attribute, code);
                    }
                    xml.WriteEndElement();
                    tally.Written++;
                }
                xml.WriteEndElement();
                groups++;
            }
        }
        if (groups == 0)
        {
            throw new InvalidOperationException("No figure could be exported to ADX (an ADX message needs at least one group): check the mapping's data elements, programmes and organisation units.");
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
        return tally.ToSummary();
    }

    /// <summary>
    /// Writes the SDMX data structure definition of the mapping, in the form IHE's <c>dsd2adx2.xsl</c> turns into a strict
    /// ADX schema: <c>dataElement</c>, <c>orgUnit</c> and <c>programme</c> coded by the mapping, one coded dimension per
    /// category attribute, and a time range.
    /// </summary>
    /// <param name="mapping">The mapping.</param>
    /// <param name="prepared">When the structure is prepared.</param>
    /// <param name="output">Where to write UTF-8 XML; left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteStructure(AdxMapping mapping, NodaTime.Instant prepared, Stream output)
    {
        Preconditions.CheckNotNull(mapping);
        Preconditions.CheckNotNull(output);
        static List<(string, string)> Codes(IReadOnlyDictionary<string, string> map) =>
            [.. map.OrderBy(p => p.Value, StringComparer.Ordinal).Select(p => (p.Value, p.Key))];
        List<StructureDimension> dimensions =
        [
            new("dataElement", "Data element (indicator)", Codes(mapping.DataElements)),
            new("orgUnit", "Organisation unit (country or province)", Codes(mapping.OrgUnits), Outer: true),
            new(ProgrammeAttribute, "Programme (partnership or phase)", Codes(mapping.Programmes), Outer: true),
            .. mapping.Categories.OrderBy(c => c.Value.Attribute, StringComparer.Ordinal)
                .Select(c => new StructureDimension(c.Value.Attribute, c.Key, Codes(c.Value.Options))),
        ];
        SdmxStructure.Write(output, Sdmx.Agency, mapping.DataSet, "SafetyPrograms ADX export", dimensions, "TIME_PERIOD", "period", [], "value", prepared);
    }

    /// <summary>Reads ADX data values back into reported actuals, through the mapping in reverse.</summary>
    /// <param name="input">The ADX XML.</param>
    /// <param name="mapping">The DHIS2 codes it was written with.</param>
    /// <param name="dataset">The dataset the programmes and indicators are in.</param>
    /// <returns>
    /// One actual per indicator, programme and period that has a total (a data value at the country's organisation unit
    /// without categories), with a breakdown per dimension our model carries (sex, role, age band, province) from the data
    /// values broken down by that one dimension; codes the mapping does not know are skipped.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="Serialization.DataFormatException">The input is not well-formed XML, or a group's period or a value cannot be read.</exception>
    public static IReadOnlyList<ReportedActual> Read(Stream input, AdxMapping mapping, ProgrammeDataset dataset)
    {
        Preconditions.CheckNotNull(input);
        Preconditions.CheckNotNull(mapping);
        Preconditions.CheckNotNull(dataset);
        static Dictionary<string, string> Reverse(IReadOnlyDictionary<string, string> map) => map.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        var indicators = Reverse(mapping.DataElements);
        var places = Reverse(mapping.OrgUnits);
        var programmes = Reverse(mapping.Programmes);
        var categories = mapping.Categories.ToDictionary(c => c.Value.Attribute, c => (Dimension: c.Key, Options: Reverse(c.Value.Options)), StringComparer.Ordinal);
        var scopes = dataset.Partnerships.SelectMany(p => p.Phases.Select(ph => (Id: ph.Id.Value, Partnership: p.Id, Phase: (Id<Phase>?)ph.Id))
            .Prepend((Id: p.Id.Value, Partnership: p.Id, Phase: null))).GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
        var countries = dataset.Partnerships.ToDictionary(p => p.Id, p => p.Country?.Value);
        var collector = new ActualsCollector();
        using var xml = ExchangeText.XmlInput(input);
        try
        {
            string? orgUnit = null, period = null, programme = null;
            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element || xml.NamespaceURI != Namespace)
                {
                    continue;
                }
                if (xml.LocalName == "group")
                {
                    (orgUnit, period, programme) = (xml.GetAttribute("orgUnit"), xml.GetAttribute("period"), xml.GetAttribute(ProgrammeAttribute));
                    continue;
                }
                if (xml.LocalName != "dataValue" || programme is null || !programmes.TryGetValue(programme, out var scopeId)
                    || !scopes.TryGetValue(scopeId, out var scope) || orgUnit is null || !places.TryGetValue(orgUnit, out var place))
                {
                    continue;
                }
                var interval = ExchangeText.ParseDuration(period)
                    ?? throw new Serialization.DataFormatException("An ADX group's period is not an ISO 8601 start and duration, such as 2025-07-01/P1Y.");
                if (xml.GetAttribute("dataElement") is not { } element || !indicators.TryGetValue(element, out var indicator))
                {
                    continue;
                }
                if (ExchangeText.ParseNumber(xml.GetAttribute("value")) is not { } value || value < 0 || !FigureLimit.Holds(value))
                {
                    throw new Serialization.DataFormatException("An ADX data value is not a decimal number, or is negative or beyond the largest figure.");
                }
                var breakdown = new List<FigureCategory>();
                if (place != countries.GetValueOrDefault(scope.Partnership))
                {
                    breakdown.Add(new FigureCategory(IatiActivities.ProvinceDimension, place));
                }
                var known = true;
                for (var i = 0; i < xml.AttributeCount; i++)
                {
                    xml.MoveToAttribute(i);
                    if (xml.LocalName is "dataElement" or "value" || xml.NamespaceURI.Length > 0)
                    {
                        continue;
                    }
                    if (categories.TryGetValue(xml.LocalName, out var category) && category.Options.TryGetValue(xml.Value, out var ours))
                    {
                        breakdown.Add(new FigureCategory(category.Dimension, ours));
                    }
                    else
                    {
                        known = false;
                    }
                }
                xml.MoveToElement();
                if (known)
                {
                    collector.Add(new Id<Indicator>(indicator), scope.Partnership, scope.Phase, interval, breakdown, value);
                }
            }
        }
        catch (XmlException error)
        {
            throw new Serialization.DataFormatException("The ADX input is not well-formed XML.", null, null, error.LineNumber, error.LinePosition, error);
        }
        return collector.ToActuals(reportedBy: null);
    }
}
