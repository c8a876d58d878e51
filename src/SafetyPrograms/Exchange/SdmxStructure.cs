using System.Xml;
using NodaTime;

namespace SafetyPrograms.Exchange;

/// <summary>A dimension of a published SDMX data structure, with its code list when it is coded.</summary>
internal sealed record StructureDimension(string Id, string Name, IReadOnlyList<(string Code, string Name)>? Codes = null, bool Outer = false);

/// <summary>
/// Writes an SDMX-ML 2.1 structure message holding one data structure definition: its concepts, code lists, dimensions,
/// time dimension, attributes and primary measure. The one writer behind the SDMX structure we publish and the ADX
/// structure a caller's mapping defines (which IHE's stylesheet turns into a strict ADX schema).
/// </summary>
internal static class SdmxStructure
{
    internal const string MessageNamespace = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message";
    internal const string CommonNamespace = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common";
    internal const string StructureNamespace = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure";

    internal static void Write(
        Stream output, string agency, string id, string name, IReadOnlyList<StructureDimension> dimensions, string timeId, string timeConcept,
        IReadOnlyList<string> attributes, string measureConcept, Instant prepared)
    {
        var concepts = "CS_" + id;
        using var xml = ExchangeText.Xml(output);
        xml.WriteStartDocument();
        xml.WriteStartElement("mes", "Structure", MessageNamespace);
        xml.WriteAttributeString("xmlns", "com", null, CommonNamespace);
        xml.WriteAttributeString("xmlns", "str", null, StructureNamespace);
        StartHeader(xml, "DSD_" + id, agency, prepared);
        xml.WriteEndElement();
        xml.WriteStartElement("Structures", MessageNamespace);
        var coded = dimensions.Where(d => d.Codes is not null).ToList();
        if (coded.Count > 0)
        {
            xml.WriteStartElement("Codelists", StructureNamespace);
            foreach (var dimension in coded)
            {
                xml.WriteStartElement("Codelist", StructureNamespace);
                Maintainable(xml, CodelistId(dimension), agency);
                Name(xml, dimension.Name);
                foreach (var (code, label) in dimension.Codes!)
                {
                    xml.WriteStartElement("Code", StructureNamespace);
                    xml.WriteAttributeString("id", code);
                    Name(xml, label);
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        xml.WriteStartElement("Concepts", StructureNamespace);
        xml.WriteStartElement("ConceptScheme", StructureNamespace);
        Maintainable(xml, concepts, agency);
        Name(xml, name + ": concepts");
        foreach (var concept in dimensions.Select(d => (d.Id, d.Name)).Append((timeConcept, "Time period")).Concat(attributes.Select(a => (a, a)))
            .Append((measureConcept, "Value")).DistinctBy(c => c.Item1))
        {
            xml.WriteStartElement("Concept", StructureNamespace);
            xml.WriteAttributeString("id", concept.Item1);
            Name(xml, concept.Item2);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteStartElement("DataStructures", StructureNamespace);
        xml.WriteStartElement("DataStructure", StructureNamespace);
        Maintainable(xml, id, agency);
        Name(xml, name);
        xml.WriteStartElement("DataStructureComponents", StructureNamespace);
        xml.WriteStartElement("DimensionList", StructureNamespace);
        xml.WriteAttributeString("id", "DimensionDescriptor");
        var position = 1;
        foreach (var dimension in dimensions)
        {
            xml.WriteStartElement("Dimension", StructureNamespace);
            xml.WriteAttributeString("id", dimension.Id);
            xml.WriteAttributeString("position", (position++).ToString(System.Globalization.CultureInfo.InvariantCulture));
            ConceptIdentity(xml, dimension.Id, concepts, agency);
            if (dimension.Codes is not null)
            {
                xml.WriteStartElement("LocalRepresentation", StructureNamespace);
                xml.WriteStartElement("Enumeration", StructureNamespace);
                Ref(xml, CodelistId(dimension), agency, null);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        xml.WriteStartElement("TimeDimension", StructureNamespace);
        xml.WriteAttributeString("id", timeId);
        xml.WriteAttributeString("position", position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ConceptIdentity(xml, timeConcept, concepts, agency);
        xml.WriteStartElement("LocalRepresentation", StructureNamespace);
        xml.WriteStartElement("TextFormat", StructureNamespace);
        xml.WriteAttributeString("textType", "TimeRange");
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        var outer = dimensions.Where(d => d.Outer).ToList();
        if (outer.Count > 0)
        {
            // ADX's stylesheet reads the group named OUTER_DIMENSIONS: these dimensions are attributes of a data value group.
            xml.WriteStartElement("Group", StructureNamespace);
            xml.WriteAttributeString("id", "OUTER_DIMENSIONS");
            foreach (var groupId in outer.Select(d => d.Id).Append(timeId))
            {
                xml.WriteStartElement("GroupDimension", StructureNamespace);
                xml.WriteStartElement("DimensionReference", StructureNamespace);
                xml.WriteStartElement("Ref");
                xml.WriteAttributeString("id", groupId);
                xml.WriteEndElement();
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        if (attributes.Count > 0)
        {
            xml.WriteStartElement("AttributeList", StructureNamespace);
            xml.WriteAttributeString("id", "AttributeDescriptor");
            foreach (var attribute in attributes)
            {
                xml.WriteStartElement("Attribute", StructureNamespace);
                xml.WriteAttributeString("id", attribute);
                xml.WriteAttributeString("assignmentStatus", "Conditional");
                ConceptIdentity(xml, attribute, concepts, agency);
                xml.WriteStartElement("AttributeRelationship", StructureNamespace);
                xml.WriteStartElement("PrimaryMeasure", StructureNamespace);
                xml.WriteStartElement("Ref");
                xml.WriteAttributeString("id", "OBS_VALUE");
                xml.WriteEndElement();
                xml.WriteEndElement();
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        xml.WriteStartElement("MeasureList", StructureNamespace);
        xml.WriteAttributeString("id", "MeasureDescriptor");
        xml.WriteStartElement("PrimaryMeasure", StructureNamespace);
        // SDMX 2.1 fixes the primary measure's id; its concept is the structure's own (ADX calls it value).
        xml.WriteAttributeString("id", "OBS_VALUE");
        ConceptIdentity(xml, measureConcept, concepts, agency);
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    /// <summary>Opens an SDMX-ML message header with what every message states: its id, not a test, when prepared, and the sender.</summary>
    internal static void StartHeader(XmlWriter xml, string id, string agency, Instant prepared)
    {
        xml.WriteStartElement("Header", MessageNamespace);
        xml.WriteElementString("ID", MessageNamespace, id);
        xml.WriteElementString("Test", MessageNamespace, "false");
        xml.WriteElementString("Prepared", MessageNamespace, ExchangeText.Timestamp(prepared));
        xml.WriteStartElement("Sender", MessageNamespace);
        xml.WriteAttributeString("id", agency);
        xml.WriteEndElement();
    }

    internal static string CodelistId(StructureDimension dimension) => "CL_" + dimension.Id.ToUpperInvariant();

    private static void Maintainable(XmlWriter xml, string id, string agency)
    {
        xml.WriteAttributeString("id", id);
        xml.WriteAttributeString("agencyID", agency);
        xml.WriteAttributeString("version", "1.0");
    }

    private static void Name(XmlWriter xml, string text)
    {
        xml.WriteStartElement("Name", CommonNamespace);
        xml.WriteAttributeString("xml", "lang", null, "en");
        xml.WriteString(IatiActivities.XmlSafe(text));
        xml.WriteEndElement();
    }

    private static void ConceptIdentity(XmlWriter xml, string concept, string scheme, string agency)
    {
        xml.WriteStartElement("ConceptIdentity", StructureNamespace);
        Ref(xml, concept, agency, scheme);
        xml.WriteEndElement();
    }

    private static void Ref(XmlWriter xml, string id, string agency, string? parent)
    {
        xml.WriteStartElement("Ref");
        xml.WriteAttributeString("id", id);
        if (parent is not null)
        {
            xml.WriteAttributeString("maintainableParentID", parent);
            xml.WriteAttributeString("maintainableParentVersion", "1.0");
        }
        xml.WriteAttributeString("agencyID", agency);
        if (parent is null)
        {
            xml.WriteAttributeString("version", "1.0");
        }
        xml.WriteEndElement();
    }
}
