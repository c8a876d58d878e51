using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using System.Xml.XPath;
using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Exchange;

/// <summary>
/// The IATI validator's own rules (<c>rulesets/standard.json</c>), applied to our activity files by a small interpreter of
/// the rule kinds they use, and IATI's code lists: every coded attribute we write holds a code of its list.
/// </summary>
public sealed class IatiRulesTests
{
    /// <summary>Rule kinds this interpreter does not evaluate: none of them concerns an element we write (sectors' percentages, budgets, transactions).</summary>
    private static readonly string[] NotEvaluated = ["loop", "one_or_all", "strict_sum"];

    public static TheoryData<int> Seeds => [0, 21, 22];

    [InteropTheory]
    [MemberData(nameof(Seeds))]
    public void Exports_BreakNoRuleOfTheIatiValidator(int seed)
    {
        var document = Activities(seed);
        var broken = Evaluate(document, ExchangeSamples.Exported.ToDateTimeUtc(), out var evaluated);
        Assert.Empty(broken);
        // The rules that concern results, dates, organisations and identifiers were all applied, not skipped.
        Assert.Superset(new HashSet<string> { "8.6.1", "8.8.1", "8.8.2", "8.9.1", "8.9.2", "8.10.1", "8.10.2", "6.11.1", "6.10.1", "11.1.4", "11.1.5", "1.1.21", "6.2.2" }, evaluated);
    }

    [InteropFact]
    public void TheInterpreter_CatchesBrokenResults()
    {
        var document = Activities(0);
        var period = document.Descendants("period").First();
        period.Element("period-start")!.SetAttributeValue("iso-date", "2099-01-01");
        document.Descendants("actual").First().SetAttributeValue("value", "many");
        document.Descendants("participating-org").First().RemoveNodes();
        document.Descendants("participating-org").First().SetAttributeValue("ref", null);
        document.Descendants("activity-date").Where(d => (string?)d.Attribute("type") is "1" or "2").Remove();
        var broken = Evaluate(document, ExchangeSamples.Exported.ToDateTimeUtc(), out _);
        Assert.Superset(new HashSet<string> { "8.6.1", "8.10.2", "6.10.1", "6.11.1" }, broken.ToHashSet());
    }

    [InteropFact]
    public void TheInterpreter_CatchesActualDatesInTheFuture_MissingValues_AndAForeignIdentifier()
    {
        var document = Activities(21);
        var activity = document.Descendants("iati-activity").First();
        var start = activity.Elements("activity-date").First(d => (string?)d.Attribute("type") == "2");
        start.SetAttributeValue("iso-date", "2099-01-01");
        start.AddAfterSelf(new XElement("activity-date", new XAttribute("type", "4"), new XAttribute("iso-date", "2099-06-01")));
        activity.Descendants("actual").First().SetAttributeValue("value", null);
        activity.Element("iati-identifier")!.Value = "XM-OCHA-CBPF-" + activity.Element("iati-identifier")!.Value;
        var broken = Evaluate(document, ExchangeSamples.Exported.ToDateTimeUtc(), out _);
        Assert.Superset(new HashSet<string> { "11.1.4", "11.1.5", "8.10.1", "1.1.21" }, broken.ToHashSet());
    }

    [InteropTheory]
    [MemberData(nameof(Seeds))]
    public void CodedAttributes_HoldCodesOfTheirIatiCodeLists(int seed)
    {
        var document = Activities(seed);
        (string Path, string List)[] coded =
        [
            ("//reporting-org/@type", "OrganisationType"), ("//participating-org/@type", "OrganisationType"),
            ("//participating-org/@role", "OrganisationRole"), ("//activity-status/@code", "ActivityStatus"),
            ("//activity-date/@type", "ActivityDateType"), ("//recipient-country/@code", "Country"),
            ("//result/@type", "ResultType"), ("//indicator/@measure", "IndicatorMeasure"),
            ("//indicator/reference/@vocabulary", "IndicatorVocabulary"), ("//related-activity/@type", "RelatedActivityType"),
            ("//sector/@code", "Sector"), ("//sector/@vocabulary", "SectorVocabulary"), ("//iati-activity/@xml:lang", "Language"),
        ];
        var namespaces = new System.Xml.XmlNamespaceManager(new System.Xml.NameTable());
        foreach (var (path, list) in coded)
        {
            var codes = CodeList(list);
            var values = ((IEnumerable<object>)document.XPathEvaluate(path, namespaces)).Cast<XAttribute>().Select(a => a.Value).ToList();
            Assert.True(values.Count > 0 || path.Contains("related", StringComparison.Ordinal), $"{path}: nothing written");
            Assert.All(values, v => Assert.True(codes.Contains(v), $"{path} = '{v}' is not in the {list} code list"));
        }
        var agencies = CodeList("OrganisationRegistrationAgency");
        foreach (var reference in document.Descendants().Where(e => e.Name.LocalName is "reporting-org" or "participating-org").Select(e => (string?)e.Attribute("ref")).OfType<string>())
        {
            Assert.Contains(new IatiIdentifier(reference).Agency, agencies);
        }
    }

    [InteropFact]
    public void EveryOrganisationKind_AndStatus_AndLevel_HasACodeInItsList()
    {
        Assert.All(Enum.GetValues<OrganisationKind>(), k => Assert.Contains(IatiActivities.OrganisationType(k), CodeList("OrganisationType")));
        Assert.All(Enum.GetValues<ProgrammeStatus>(), s => Assert.Contains(IatiActivities.ActivityStatus(s), CodeList("ActivityStatus")));
        Assert.All(Enum.GetValues<ResultLevel>(), l => Assert.Contains(IatiActivities.ResultType(l), CodeList("ResultType")));
        Assert.All(Enum.GetValues<IndicatorUnit>(), u => Assert.Contains(IatiActivities.Measure(u), CodeList("IndicatorMeasure")));
        Assert.All(Enum.GetValues<PartnershipRole>().Select(r => r.ToIati()).OfType<IatiOrganisationRole>(),
            r => Assert.Contains(((int)r).ToString(CultureInfo.InvariantCulture), CodeList("OrganisationRole")));
    }

    private static XDocument Activities(int seed)
    {
        ExchangeData data;
        if (seed == 0)
        {
            data = ExchangeSamples.Sample();
        }
        else
        {
            var (dataset, store) = ExchangeSamples.Generated(seed);
            data = ExchangeData.Publish(dataset, PublicationPolicy.Default, ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
        }
        using var stream = new MemoryStream();
        IatiActivities.Write(data, stream, IatiUnidentifiedProgrammes.LeaveOut);
        stream.Position = 0;
        var document = XDocument.Load(stream);
        Assert.NotEmpty(document.Descendants("actual"));
        return document;
    }

    private static HashSet<string> CodeList(string name) =>
        [.. XDocument.Load(Path.Combine(Interop.Folder, "iati", "codelists", name + ".xml")).Descendants("codelist-item").Select(i => i.Element("code")!.Value.Trim())];

    /// <summary>Applies the activity rules of standard.json; returns the ids of rules broken, and which rules were evaluated.</summary>
    private static List<string> Evaluate(XDocument document, DateTime now, out HashSet<string> evaluated)
    {
        using var rules = JsonDocument.Parse(File.ReadAllText(Path.Combine(Interop.Folder, "iati", "rulesets", "standard.json")));
        var broken = new List<string>();
        evaluated = [];
        foreach (var context in rules.RootElement.EnumerateObject().Where(c => c.Name.StartsWith("/iati-activities", StringComparison.Ordinal)))
        {
            var nodes = ((IEnumerable<object>)document.XPathEvaluate(context.Name)).OfType<XElement>().ToList();
            foreach (var kind in context.Value.EnumerateObject())
            {
                if (NotEvaluated.Contains(kind.Name))
                {
                    continue;
                }
                foreach (var rule in kind.Value.GetProperty("cases").EnumerateArray())
                {
                    var id = rule.GetProperty("ruleInfo").GetProperty("id").GetString()!;
                    if (rule.TryGetProperty("idCondition", out _) && kind.Name == "startswith")
                    {
                        continue;
                    }
                    evaluated.Add(id);
                    foreach (var node in nodes)
                    {
                        if (rule.TryGetProperty("condition", out var condition) && !Bool(node, condition.GetString()!))
                        {
                            continue;
                        }
                        if (!Holds(kind.Name, rule, node, now))
                        {
                            broken.Add(id);
                        }
                    }
                }
            }
        }
        return [.. broken.Distinct()];
    }

    private static bool Holds(string kind, JsonElement rule, XElement node, DateTime now)
    {
        var paths = rule.TryGetProperty("paths", out var p) ? p.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
        var values = paths.SelectMany(path => Values(node, path)).ToList();
        switch (kind)
        {
            case "atleast_one":
                return values.Count > 0;
            case "no_more_than_one":
                return values.Count <= 1;
            case "if_then":
                return !Bool(node, rule.GetProperty("if").GetString()!) || Bool(node, rule.GetProperty("then").GetString()!);
            case "unique":
                return values.Distinct().Count() == values.Count;
            case "no_spaces":
                return values.All(v => v.Trim() == v);
            case "regex_matches":
                return values.All(v => Regex.IsMatch(v, rule.GetProperty("regex").GetString()!));
            case "range":
                return values.All(v => decimal.TryParse(v, CultureInfo.InvariantCulture, out var d)
                    && d >= rule.GetProperty("min").GetDecimal() && d <= rule.GetProperty("max").GetDecimal());
            case "startswith":
                var prefixes = rule.GetProperty("prefix").EnumerateArray().SelectMany(x => Values(node, x.GetString()!)).ToList();
                var separator = rule.TryGetProperty("separator", out var s) ? s.GetString()! : "";
                return values.All(v => prefixes.Any(prefix => v.StartsWith(prefix + separator, StringComparison.Ordinal)));
            case "date_now":
                return Values(node, rule.GetProperty("date").GetString()!).All(v => DateTime.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal) <= now);
            case "date_order":
                var less = Dates(node, rule.GetProperty("less").GetString()!, now);
                var more = Dates(node, rule.GetProperty("more").GetString()!, now);
                return less.All(l => more.All(m => l <= m));
            default:
                throw new InvalidOperationException($"The ruleset uses a rule kind '{kind}' this test does not know: teach it, or list it as not evaluated.");
        }
    }

    private static List<DateTime> Dates(XElement node, string path, DateTime now) => path == "NOW"
        ? [now]
        : [.. Values(node, path).Select(v => DateTime.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal))];

    private static List<string> Values(XElement node, string path)
    {
        var result = node.XPathEvaluate(path);
        return result switch
        {
            IEnumerable<object> items => [.. items.Select(i => i switch { XAttribute a => a.Value, XElement e => e.Value, _ => i.ToString()! })],
            _ => [Convert.ToString(result, CultureInfo.InvariantCulture)!],
        };
    }

    private static bool Bool(XElement node, string expression) => node.XPathEvaluate(expression) switch
    {
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        string s => s.Length > 0,
        IEnumerable<object> items => items.Any(),
        _ => false,
    };
}
