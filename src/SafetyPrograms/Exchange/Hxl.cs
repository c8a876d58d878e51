using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Exchange;

/// <summary>
/// HXL-tagged tables for humanitarian coordination: the 3W/4W "who does what where (when)" table and the reach table, each
/// a CSV with a header row and the hashtag row under it, tags and attributes from the HXL hashtag dictionary.
/// </summary>
/// <remarks>
/// <para>The 3W/4W table has one row per partnership, implementing organisation and district where it works (from its
/// phases' schools): <c>#activity</c>, <c>#activity+code</c>, <c>#org+impl</c>, <c>#org+funder</c>, <c>#sector</c>,
/// <c>#country+code</c>, <c>#adm1+code</c>, <c>#adm1+name</c>, <c>#adm2+name</c>, <c>#date+start</c>, <c>#date+end</c>,
/// <c>#status</c>.</para>
/// <para>The reach table has one row per series for the whole programme (<c>#adm1+code</c> empty) and one per province:
/// <c>#targeted</c>, <c>#reached</c>, and a <c>#reached</c> column per breakdown category of the whole-programme row:
/// <c>+f</c>, <c>+m</c> and <c>+i</c> (intersex or non-gender-binary: <see cref="Sex.Other"/>) for sex, <c>+sex_not_recorded</c> (the dictionary has no attribute for it), <c>+age5_9</c>-style attributes for age bands (scheme in <c>#meta+age_scheme</c>),
/// <c>+role_teacher</c>, <c>+disabled</c> (and <c>+disability_no_disability</c>, …) and so on, the dimension and category in lower case. A tag pattern
/// <c>#reached</c> also matches <c>#reached+f</c>; and the rows and columns of a unique-people series overlap (a province
/// row is inside the programme row, a girl is in <c>+f</c> and in <c>+age10_14</c>), so none may be summed:
/// <c>#indicator+type</c> says which figures count people. A suppressed figure is an empty cell.</para>
/// <para>Recounted reach also has <c>#reached+children</c> (people under 18 at their first participation in the period)
/// and <c>#reached+adults</c> (18 and over): each its own recount, protected with every other figure in one publication
/// session, never the sum of age bands. People whose age is not recorded are in neither (nor is someone known only by a
/// year of birth that leaves them 17 or 18), so the two need not add up to <c>#reached</c>; the column headers say so.
/// Someone known by a year of birth is placed where both possible ages agree, so <c>+children</c> can exceed the
/// under-18 bands, which leave out those whose two possible ages straddle a band. With
/// <see cref="SuppressionMarks.PrimaryAndSecondary"/>, where these two would make the audit refuse, they are left out
/// and the summary notes it.</para>
/// </remarks>
public static class Hxl
{
    /// <summary>Writes the 3W/4W table.</summary>
    /// <param name="data">The programmes.</param>
    /// <param name="output">Where to write CSV; left open.</param>
    /// <returns>What was written: one figure per row.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ExportSummary WriteWhoWhatWhere(ExchangeData data, TextWriter output)
    {
        Preconditions.CheckNotNull(data);
        Preconditions.CheckNotNull(output);
        var tally = new ExportTally(data);
        CsvText.WriteRecord(output, ["Programme", "Programme id", "Implementing organisation", "Funders", "Sector", "Country", "Province code", "Province", "District", "Start", "End", "Status"]);
        CsvText.WriteRecord(output, ["#activity", "#activity+code", "#org+impl", "#org+funder", "#sector", "#country+code", "#adm1+code", "#adm1+name", "#adm2+name", "#date+start", "#date+end", "#status"]);
        var organisations = data.Dataset.Organisations.GroupBy(o => o.Id).ToDictionary(g => g.Key, g => g.First().Name);
        var schools = data.Dataset.Schools.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
        foreach (var partnership in data.Dataset.Partnerships)
        {
            string Names(Func<PartnershipRole, bool> role) => string.Join("; ", partnership.Members.Where(m => role(m.Role))
                .Select(m => organisations.GetValueOrDefault(m.Organisation, m.Organisation.Value)).Distinct());
            var implementers = partnership.Members.Where(m => m.Role.ToIati() == IatiOrganisationRole.Implementing)
                .Select(m => organisations.GetValueOrDefault(m.Organisation, m.Organisation.Value)).Distinct().ToList();
            if (implementers.Count == 0)
            {
                implementers.Add(Names(r => r == PartnershipRole.Lead));
            }
            var places = partnership.Phases.SelectMany(p => p.Schools).Where(schools.ContainsKey).Select(s => schools[s].Location)
                .Select(l => (Province: l.Province.Value, l.District)).Distinct().Order().ToList();
            var rows = places.Count == 0 ? [(Province: string.Empty, District: string.Empty)] : places;
            foreach (var implementer in implementers)
            {
                foreach (var (province, district) in rows)
                {
                    CsvText.WriteRecord(output,
                    [
                        partnership.Name, partnership.Id.Value, implementer, Names(r => r == PartnershipRole.Funding), "Protection",
                        partnership.Country?.Value, province, province.Length == 0 ? string.Empty : ExchangeText.ProvinceName(province), district,
                        ExchangeText.Date(partnership.Period.Start), partnership.Period.End is { } end ? ExchangeText.Date(end) : null,
                        EnumNames<ProgrammeStatus>.NameOf(partnership.Status),
                    ]);
                    tally.Written++;
                }
            }
        }
        return tally.ToSummary();
    }

    /// <summary>Writes the reach table.</summary>
    /// <param name="data">The figures, through the publication policy.</param>
    /// <param name="output">Where to write CSV; left open.</param>
    /// <returns>What was written and suppressed.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ExportSummary WriteReach(ExchangeData data, TextWriter output)
    {
        Preconditions.CheckNotNull(data);
        Preconditions.CheckNotNull(output);
        var tally = new ExportTally(data);
        var breakdowns = data.Series.SelectMany(s => s.Figures)
            .Where(f => f.Breakdown.Count == 1 && f.Breakdown[0].Dimension != IatiActivities.ProvinceDimension)
            .Select(f => f.Breakdown[0]).Distinct().ToList();
        string[] heads = ["Programme", "Indicator", "Indicator name", "Counts", "Country", "Province code", "Start", "End", "Age scheme", "Disability cut-off", "Target", "Reached"];
        string[] tags = ["#activity+code", "#indicator+code", "#indicator+name", "#indicator+type", "#country+code", "#adm1+code", "#date+start", "#date+end", "#meta+age_scheme", "#meta+disability_cutoff", "#targeted", "#reached"];
        // Children and adults are columns only when some series counted them; a partner's reported figures have no such recount.
        string[] groups = data.Series.Any(s => s.AgeGroups.Count > 0) ? [ExchangeData.Children, ExchangeData.Adults] : [];
        if (data.AgeGroupsLeftOut)
        {
            tally.Note("#reached+children and #reached+adults left out: with primary and secondary suppression marks the audit could not protect them beside the other figures.");
        }
        CsvText.WriteRecord(output, [.. heads, .. groups.Select(GroupHeading), .. breakdowns.Select(b => $"Reached: {b.Dimension} {b.Category}")]);
        CsvText.WriteRecord(output, [.. tags, .. groups.Select(g => "#reached+" + g), .. breakdowns.Select(b => "#reached+" + Attribute(b, data))]);
        foreach (var series in data.Series)
        {
            var country = data.Dataset.Partnerships.FirstOrDefault(p => p.Id == series.Partnership)?.Country?.Value;
            var basis = series.IsUniqueCount ? "unique people: do not sum" : EnumNames<CountingBasis>.NameOf(series.Indicator.Basis);
            string? Qualifiers(string qualifier) => string.Join("; ", series.Dimensions.Select(d => IatiActivities.QualifierOf(d, data))
                .Where(q => q?.Dimension == qualifier).Select(q => q!.Value.Value).Distinct()) is { Length: > 0 } joined ? joined : null;
            var (ageSchemes, cutoffs) = (Qualifiers(IatiActivities.AgeSchemeDimension), Qualifiers(IatiActivities.DisabilityCutoffDimension));
            string?[] Row(string? province, string? value, string? target) =>
            [
                series.ScopeText, series.Indicator.Id.Value, series.Indicator.Name, basis, country, province,
                ExchangeText.Date(series.Period.Start), ExchangeText.Date(series.Period.End), ageSchemes, cutoffs, target, value,
            ];
            string? Shown(ExchangeFigure? figure)
            {
                if (figure is null)
                {
                    return null;
                }
                if (figure.Value is { } v)
                {
                    tally.Written++;
                    return ExchangeText.Number(v);
                }
                tally.Suppressed++;
                return null;
            }
            var row = Row(null, Shown(series.Total), series.Target is { } t ? ExchangeText.Number(t) : null);
            CsvText.WriteRecord(output,
            [
                .. row, .. groups.Select(g => Shown(series.AgeGroups.FirstOrDefault(f => f.CategoryOf(ExchangeData.AgeGroupDimension) == g))),
                .. breakdowns.Select(b => Shown(series.Figures.FirstOrDefault(f => f.Breakdown.Count == 1 && f.Breakdown[0] == b))),
            ]);
            foreach (var figure in series.Figures.Where(f => f.Breakdown.Count == 1 && f.Breakdown[0].Dimension == IatiActivities.ProvinceDimension))
            {
                var province = figure.Breakdown[0].Category;
                CsvText.WriteRecord(output,
                    [.. Row(province == AggregationPublishing.MissingKey ? null : province, Shown(figure), null), .. Enumerable.Repeat((string?)null, groups.Length + breakdowns.Count)]);
            }
        }
        return tally.ToSummary();
    }

    /// <summary>The heading of the children or adults column, saying who is counted and that people of unknown age are not.</summary>
    private static string GroupHeading(string group) => group == ExchangeData.Children
        ? "Reached: children (under 18 at first participation; unknown age not counted)"
        : "Reached: adults (18 and over at first participation; unknown age not counted)";

    /// <summary>The HXL attribute of a breakdown category: <c>f</c>, <c>m</c> and <c>i</c> for sex, <c>disabled</c> for people with a disability, else dimension and category in lower case, such as <c>age10_14</c>.</summary>
    internal static string Attribute(FigureCategory category, ExchangeData data) => (category.Dimension, category.Category) switch
    {
        ("sex", "female") => "f",
        ("sex", "male") => "m",
        // The dictionary's attribute for intersex or non-gender-binary people: what a partner records as another sex or gender identity.
        ("sex", "other") => "i",
        // The attribute for people with a disability under the stated cut-off; the other statuses keep the dimension's name.
        (IatiActivities.DisabilityDimension, "disability") => "disabled",
        (IatiActivities.AgeBandDimension, var band) => "age" + (char.IsAsciiDigit(band[0]) ? "" : "_") + Lower(band.Replace("+", "plus", StringComparison.Ordinal)),
        // Another scheme's bands are named with the scheme, so 10-14 of one never shares a column with 10-14 of another.
        (IatiActivities.AgeDimension, var band) => "age_" + Lower(IatiActivities.QualifierOf(IatiActivities.AgeDimension, data)!.Value.Value) + "_"
            + Lower(band.Replace("+", "plus", StringComparison.Ordinal)),
        var (dimension, value) => Lower(dimension) + "_" + Lower(value),
    };

    /// <summary>Lower case letters, digits and underscores, as HXL attributes are written; camel case split by an underscore.</summary>
    private static string Lower(string text) =>
        string.Concat(text.Select((c, i) => char.IsAsciiLetterUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c)
            : char.IsAsciiLetterOrDigit(c) ? c.ToString() : "_")).Trim('_');
}
