namespace SafetyPrograms.Validation;

/// <summary>How serious a finding is.</summary>
public enum FindingSeverity
{
    /// <summary>The data is wrong: a funder's data team would refuse the report.</summary>
    Error,
    /// <summary>The data is probably wrong or will mislead: check it before submitting.</summary>
    Warning,
    /// <summary>Worth knowing; nothing to fix unless it is unexpected.</summary>
    Info,
}

/// <summary>The stage a rule belongs to, in the order a funder's data team checks: input, identity, references, codelists, then business rules.</summary>
public enum RuleCategory
{
    /// <summary>The input could be read and is a version this library understands.</summary>
    Input,
    /// <summary>Identifiers are unique.</summary>
    Identity,
    /// <summary>Every reference resolves to something declared in the dataset.</summary>
    Reference,
    /// <summary>Codes come from their codelists (provinces, disaggregation categories).</summary>
    Codelist,
    /// <summary>Dates and periods nest.</summary>
    Time,
    /// <summary>Figures are in range for their unit.</summary>
    Number,
    /// <summary>Breakdowns add up to their totals.</summary>
    Disaggregation,
    /// <summary>An indicator's counting basis and accumulation are respected.</summary>
    IndicatorSemantics,
    /// <summary>Locations are consistent.</summary>
    Geography,
    /// <summary>Children's data stays pseudonymous.</summary>
    Privacy,
    /// <summary>Participation records agree with the dataset.</summary>
    Participation,
}

/// <summary>
/// One documented validation rule: a stable code, a severity, what it checks and how to fix a finding.
/// The catalogue of all rules is <see cref="ValidationRules"/>.
/// </summary>
/// <remarks>Equality is by reference; there is one instance per code. Immutable and thread-safe.</remarks>
public sealed class ValidationRule
{
    internal ValidationRule(string code, FindingSeverity severity, RuleCategory category, string title, string fix, bool isReserved = false)
    {
        Code = code;
        Severity = severity;
        Category = category;
        Title = title;
        Fix = fix;
        IsReserved = isReserved;
    }

    /// <summary>The stable code, such as <c>SP2001</c>; codes are never reused for another meaning.</summary>
    public string Code { get; }

    /// <summary>How serious a finding of this rule is.</summary>
    public FindingSeverity Severity { get; }

    /// <summary>The stage the rule belongs to.</summary>
    public RuleCategory Category { get; }

    /// <summary>What the rule checks, in one line.</summary>
    public string Title { get; }

    /// <summary>What to change to fix a finding, in one line.</summary>
    public string Fix { get; }

    /// <summary>
    /// Whether the code is reserved for a check this library does not run yet; such a rule never produces a finding.
    /// </summary>
    public bool IsReserved { get; }

    /// <summary>
    /// Whether the rule is structural (input, identity, references and codelists) and so runs when
    /// <see cref="ValidationOptions.StructuralOnly"/> is set.
    /// </summary>
    public bool IsStructural => Category is RuleCategory.Input or RuleCategory.Identity or RuleCategory.Reference or RuleCategory.Codelist;

    /// <summary>The code and title.</summary>
    /// <returns>Such as <c>SP2001 Phase outside its partnership's period</c>.</returns>
    public override string ToString() => $"{Code} {Title}";
}
