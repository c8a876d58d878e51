using System.Xml;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Exchange;

/// <summary>
/// SDMX: the data structure we publish (an SDMX-ML 2.1 structure message), and the figures over it as SDMX-CSV 2.0 and
/// as an SDMX-ML 2.1 generic data message, one observation per figure.
/// </summary>
/// <remarks>
/// <para>Dimensions: <c>PROGRAMME</c> (the partnership, or <c>partnership/phase</c>), <c>INDICATOR</c>, <c>REF_AREA</c> (the
/// province's ISO 3166-2 code, the country's for a total, <c>_U</c> for records with no school), then one dimension per
/// breakdown the figures have (<c>SEX</c>, <c>AGE</c>, <c>ROLE</c>, <c>DISABILITY</c>, and any other the engine publishes,
/// in upper case), <c>_T</c> for a total over it, and <c>TIME_PERIOD</c> as an ISO 8601 start and duration
/// (<c>2025-07-01/P1Y</c>). Attributes: <c>UNIT_MEASURE</c> (<c>PERSONS</c>, <c>ATTENDANCES</c>, <c>PT</c>, <c>SCORE</c>),
/// <c>OBS_STATUS</c> (<c>A</c> normal, <c>O</c> missing), <c>CONF_STATUS</c> (<c>F</c> free, <c>C</c> confidential) and
/// <c>AGE_SCHEME</c> beside an age band.</para>
/// <para>A suppressed figure is an observation without a value (<c>NaN</c> in SDMX-ML, empty in CSV). By default
/// (<see cref="PublicationPolicy.Marks"/> <see cref="SuppressionMarks.Uniform"/>) every one is marked <c>C</c>, whether
/// it was small (primary suppression) or hidden to protect another figure (secondary), and the code list's <c>D</c> is
/// never written: telling the two apart tells a reader that every <c>C</c> lies between 1 and the minimum − 1, narrower
/// than the minimum the policy promises for every hidden figure, and that every <c>D</c> is at least the minimum, which
/// pins further figures through the published totals. Figures published under
/// <see cref="SuppressionMarks.PrimaryAndSecondary"/> carry <c>C</c> for primary and <c>D</c> for secondary suppression:
/// their audit assumed the reader knows the marks and suppressed more until no mark lets a reader narrow a hidden figure
/// beyond what that option promises (see <see cref="SuppressionMarks.PrimaryAndSecondary"/>). The marks come from the
/// figures' own policy, so they can never be more telling than the audit allowed. The
/// /// dimensions depend on the figures: write the structure from the same <see cref="ExchangeData"/> as the data.</para>
/// </remarks>
public static class Sdmx
{
    /// <summary>The agency that maintains the structure.</summary>
    public const string Agency = "SAFETYPROGRAMS";

    /// <summary>The data structure definition's id.</summary>
    public const string StructureId = "SP_PROGRAMME_RESULTS";

    /// <summary>The structure as SDMX-CSV names it: <c>AGENCY:ID(VERSION)</c>.</summary>
    public const string StructureReference = Agency + ":" + StructureId + "(1.0)";

    internal const string Total = "_T";
    internal const string Unknown = "_U";
    private const string GenericNamespace = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic";
    private static readonly string[] Attributes = ["UNIT_MEASURE", "OBS_STATUS", "CONF_STATUS", "AGE_SCHEME", "DISABILITY_CUTOFF"];

    /// <summary>Writes the data structure definition the figures of <paramref name="data"/> are published over.</summary>
    /// <param name="data">The figures whose breakdown dimensions the structure declares.</param>
    /// <param name="output">Where to write UTF-8 XML; left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteStructure(ExchangeData data, Stream output)
    {
        Preconditions.CheckNotNull(data);
        Preconditions.CheckNotNull(output);
        var dimensions = Layout.For(data).Dimensions.Select(d => new StructureDimension(d, DimensionName(d))).ToList();
        SdmxStructure.Write(output, Agency, StructureId, "Child online safety programme results", dimensions, "TIME_PERIOD", "TIME_PERIOD",
            Attributes, "OBS_VALUE", data.Exported);
    }

    /// <summary>Writes the figures as SDMX-CSV 2.0.</summary>
    /// <param name="data">The figures, through the publication policy.</param>
    /// <param name="output">Where to write; left open.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ExportSummary WriteCsv(ExchangeData data, TextWriter output)
    {
        Preconditions.CheckNotNull(data);
        Preconditions.CheckNotNull(output);
        var layout = Layout.For(data);
        var tally = new ExportTally(data);
        CsvText.WriteRecord(output, ["STRUCTURE", "STRUCTURE_ID", "ACTION", .. layout.Dimensions, "TIME_PERIOD", "OBS_VALUE", .. Attributes]);
        foreach (var observation in layout.Observations(data))
        {
            CsvText.WriteRecord(output, ["datastructure", StructureReference, "I", .. observation.Key, observation.Time, observation.Value, .. observation.AttributeValues]);
            Count(tally, observation);
        }
        return tally.ToSummary();
    }

    /// <summary>Writes the figures as an SDMX-ML 2.1 generic data message, every observation with its full key.</summary>
    /// <param name="data">The figures, through the publication policy.</param>
    /// <param name="output">Where to write UTF-8 XML; left open.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ExportSummary WriteGenericData(ExchangeData data, Stream output)
    {
        Preconditions.CheckNotNull(data);
        Preconditions.CheckNotNull(output);
        var layout = Layout.For(data);
        var tally = new ExportTally(data);
        using var xml = ExchangeText.Xml(output);
        xml.WriteStartDocument();
        xml.WriteStartElement("message", "GenericData", SdmxStructure.MessageNamespace);
        xml.WriteAttributeString("xmlns", "generic", null, GenericNamespace);
        xml.WriteAttributeString("xmlns", "common", null, SdmxStructure.CommonNamespace);
        SdmxStructure.StartHeader(xml, "SP_RESULTS", Agency, data.Exported);
        xml.WriteStartElement("Structure", SdmxStructure.MessageNamespace);
        xml.WriteAttributeString("structureID", StructureId);
        xml.WriteAttributeString("dimensionAtObservation", "AllDimensions");
        xml.WriteStartElement("Structure", SdmxStructure.CommonNamespace);
        xml.WriteStartElement("Ref");
        xml.WriteAttributeString("agencyID", Agency);
        xml.WriteAttributeString("id", StructureId);
        xml.WriteAttributeString("version", "1.0");
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteStartElement("DataSet", SdmxStructure.MessageNamespace);
        xml.WriteAttributeString("structureRef", StructureId);
        foreach (var observation in layout.Observations(data))
        {
            xml.WriteStartElement("Obs", GenericNamespace);
            xml.WriteStartElement("ObsKey", GenericNamespace);
            for (var i = 0; i < layout.Dimensions.Count; i++)
            {
                Value(xml, layout.Dimensions[i], observation.Key[i]);
            }
            Value(xml, "TIME_PERIOD", observation.Time);
            xml.WriteEndElement();
            xml.WriteStartElement("ObsValue", GenericNamespace);
            xml.WriteAttributeString("value", observation.Value ?? "NaN");
            xml.WriteEndElement();
            xml.WriteStartElement("Attributes", GenericNamespace);
            for (var i = 0; i < Attributes.Length; i++)
            {
                if (observation.AttributeValues[i] is { } attribute)
                {
                    Value(xml, Attributes[i], attribute);
                }
            }
            xml.WriteEndElement();
            xml.WriteEndElement();
            Count(tally, observation);
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
        return tally.ToSummary();
    }

    private static void Count(ExportTally tally, Observation observation)
    {
        if (observation.Value is null)
        {
            tally.Suppressed++;
        }
        else
        {
            tally.Written++;
        }
    }

    private static void Value(XmlWriter xml, string id, string value)
    {
        xml.WriteStartElement("Value", GenericNamespace);
        xml.WriteAttributeString("id", id);
        xml.WriteAttributeString("value", IatiActivities.XmlSafe(value));
        xml.WriteEndElement();
    }

    /// <summary>The SDMX dimension id of a breakdown dimension: <c>SEX</c>, <c>AGE</c>, <c>ROLE</c>, or the name in upper snake case.</summary>
    internal static string DimensionId(string dimension, ExchangeData data) => dimension switch
    {
        IatiActivities.AgeBandDimension => "AGE",
        // Bands of another scheme than the recorded band list: their own dimension, so no key means two things.
        IatiActivities.AgeDimension => "AGE_" + UpperSnake(IatiActivities.QualifierOf(dimension, data)!.Value.Value),
        _ => UpperSnake(dimension),
    };

    private static string UpperSnake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + c : char.ToUpperInvariant(c).ToString())).Replace('-', '_');

    private static string DimensionName(string id) => id switch
    {
        "PROGRAMME" => "Programme (partnership, or partnership/phase)",
        "INDICATOR" => "Indicator",
        "REF_AREA" => "Reference area (ISO 3166-1 country or ISO 3166-2 province)",
        "AGE" => "Age band (scheme in AGE_SCHEME)",
        _ => id[..1] + id[1..].ToLowerInvariant().Replace('_', ' '),
    };

    private static string Unit(Indicator indicator) => indicator.Unit switch
    {
        IndicatorUnit.Percent => "PT",
        IndicatorUnit.Score => "SCORE",
        _ => indicator.Basis == CountingBasis.Attendances ? "ATTENDANCES" : "PERSONS",
    };

    private sealed record Observation(string[] Key, string Time, string? Value, string?[] AttributeValues);

    /// <summary>The dimensions for a set of figures, and each figure as an observation over them.</summary>
    private sealed class Layout
    {
        private readonly List<string> _breakdowns;

        private Layout(List<string> breakdowns, ExchangeData data)
        {
            _breakdowns = breakdowns;
            Dimensions = ["PROGRAMME", "INDICATOR", "REF_AREA", .. breakdowns.Select(d => DimensionId(d, data))];
        }

        public IReadOnlyList<string> Dimensions { get; }

        public static Layout For(ExchangeData data)
        {
            var names = data.Series.SelectMany(s => s.Dimensions).Where(d => d != IatiActivities.ProvinceDimension).Distinct().ToList();
            // The engine's order first (sex before age band, as it declares them), then any other dimension by name.
            var engine = ExchangeData.BreakdownDimensions.Select(d => Aggregation.Dimensions.Name(d)).ToList();
            names.Sort((a, b) =>
            {
                var (x, y) = (engine.IndexOf(a), engine.IndexOf(b));
                return x >= 0 && y >= 0 ? x.CompareTo(y) : x >= 0 ? -1 : y >= 0 ? 1 : string.CompareOrdinal(a, b);
            });
            return new Layout(names, data);
        }

        public IEnumerable<Observation> Observations(ExchangeData data)
        {
            foreach (var series in data.Series)
            {
                var time = ExchangeText.Duration(series.Period);
                var country = data.Dataset.Partnerships.FirstOrDefault(p => p.Id == series.Partnership)?.Country?.Value ?? Total;
                var unit = Unit(series.Indicator);
                foreach (var figure in series.Figures)
                {
                    var key = new string[Dimensions.Count];
                    key[0] = series.ScopeText;
                    key[1] = series.Indicator.Id.Value;
                    key[2] = figure.CategoryOf(IatiActivities.ProvinceDimension) is { } province
                        ? (province == AggregationPublishing.MissingKey ? Unknown : province)
                        : country;
                    for (var i = 0; i < _breakdowns.Count; i++)
                    {
                        key[3 + i] = figure.CategoryOf(_breakdowns[i]) ?? Total;
                    }
                    // One mark for every hidden figure unless the audit assumed the reader sees the reason (see the remarks).
                    var confidentiality = !figure.IsSuppressed ? "F"
                        : data.Policy.Marks == SuppressionMarks.PrimaryAndSecondary && figure.Suppression != SuppressionReason.Primary ? "D"
                        : "C";
                    yield return new Observation(
                        key, time, figure.Value is { } v ? ExchangeText.Number(v) : null,
                        [unit, figure.IsSuppressed ? "O" : "A", confidentiality,
                            IatiActivities.QualifierOf(figure, IatiActivities.AgeSchemeDimension, data), IatiActivities.QualifierOf(figure, IatiActivities.DisabilityCutoffDimension, data)]);
                }
            }
        }
    }
}
