using FluentValidation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Validation;

/// <summary>A partnership: its members, and how its phases, targets and milestones sit in its period.</summary>
internal sealed class PartnershipValidator : AbstractValidator<Partnership>
{
    internal static readonly PartnershipValidator Instance = new();

    private PartnershipValidator()
    {
        RuleFor(p => p).Custom(CheckMembers);
        RuleFor(p => p).Custom(CheckPhases);
        RuleFor(p => p).Custom((p, context) => TargetScope.Check(context, "targets", p.Targets, p.Period, "partnership"));
        RuleFor(p => p).Custom(CheckMilestones);
        RuleForEach(p => p.Phases).SetValidator(PhaseValidator.Instance).OverridePropertyName("phases");
        RuleForEach(p => p.Targets).SetValidator(TargetValidator.Instance).OverridePropertyName("targets");
        RuleForEach(p => p.Milestones).SetValidator(MilestoneValidator.Instance).OverridePropertyName("milestones");
    }

    private static void CheckMembers(Partnership partnership, ValidationContext<Partnership> context)
    {
        var index = context.Session().Index;
        var seen = new HashSet<PartnershipMember>();
        var hasLeadOrImplementer = false;
        for (var i = 0; i < partnership.Members.Count; i++)
        {
            var member = partnership.Members[i];
            hasLeadOrImplementer |= member.Role is PartnershipRole.Lead or PartnershipRole.Implementing;
            if (!index.Organisations.Contains(member.Organisation))
            {
                context.ReportUnresolved(
                    ValidationRules.UnknownOrganisation, $"members[{i}].organisation",
                    $"Member organisation '{member.Organisation}' is not in organisations.", member.Organisation);
            }
            if (!seen.Add(member))
            {
                context.Report(
                    ValidationRules.DuplicateMember, $"members[{i}]",
                    $"Organisation '{member.Organisation}' is already a member as {JsonText.Of(member.Role)}.", member.Organisation.Value);
            }
        }
        if (!hasLeadOrImplementer)
        {
            context.Report(
                ValidationRules.NoLeadOrImplementer, "members",
                $"Partnership '{partnership.Id}' has {partnership.Members.Count} member(s) and none is lead or implementing.");
        }
    }

    private static void CheckPhases(Partnership partnership, ValidationContext<Partnership> context)
    {
        var phases = partnership.Phases;
        var period = partnership.Period;
        var index = context.Session().Index;
        var sequences = new Dictionary<int, int>();
        for (var i = 0; i < phases.Count; i++)
        {
            var phase = phases[i];
            if (phase.Period.Start < period.Start)
            {
                context.Report(
                    ValidationRules.PhaseOutsidePartnership, $"phases[{i}].period.start",
                    $"Phase '{phase.Id}' starts on {JsonText.Of(phase.Period.Start)}, before its partnership starts on {JsonText.Of(period.Start)}.",
                    JsonText.Of(phase.Period.Start));
            }
            if (period.End is { } end && (phase.Period.End is not { } phaseEnd || phaseEnd > end))
            {
                context.Report(
                    ValidationRules.PhaseOutsidePartnership, $"phases[{i}].period.end",
                    phase.Period.End is { } late
                        ? $"Phase '{phase.Id}' ends on {JsonText.Of(late)}, after its partnership ends on {JsonText.Of(end)}."
                        : $"Phase '{phase.Id}' has no end, but its partnership ends on {JsonText.Of(end)}.",
                    JsonText.Of(phase.Period.End));
            }
            if (sequences.TryGetValue(phase.Sequence, out var first))
            {
                context.Report(
                    ValidationRules.DuplicatePhaseSequence, $"phases[{i}].sequence",
                    $"Phase '{phase.Id}' has number {phase.Sequence}, as phase '{phases[first].Id}' (phases[{first}]) does.",
                    JsonText.Of(phase.Sequence));
            }
            else
            {
                sequences.Add(phase.Sequence, i);
            }
            for (var j = 0; j < i; j++)
            {
                if (phase.Period.Overlaps(phases[j].Period))
                {
                    context.Report(
                        ValidationRules.PhasesOverlap, $"phases[{i}].period",
                        $"Phase '{phase.Id}' ({JsonText.Of(phase.Period)}) overlaps phase '{phases[j].Id}' ({JsonText.Of(phases[j].Period)}, phases[{j}]).",
                        JsonText.Of(phase.Period));
                }
            }
            if (partnership.Country is { } country)
            {
                for (var k = 0; k < phase.Schools.Count; k++)
                {
                    if (index.Schools.TryGetValue(phase.Schools[k], out var school) && school.Location.Country != country)
                    {
                        context.Report(
                            ValidationRules.SchoolOutsideCountry, $"phases[{i}].schools[{k}]",
                            $"School '{school.Id}' is in {school.Location.Country}, but partnership '{partnership.Id}' works in {country}.",
                            school.Id.Value);
                    }
                }
            }
        }
    }

    private static void CheckMilestones(Partnership partnership, ValidationContext<Partnership> context)
    {
        for (var i = 0; i < partnership.Milestones.Count; i++)
        {
            var milestone = partnership.Milestones[i];
            if (milestone.EvidenceDate is { } evidence && evidence < partnership.Period.Start)
            {
                context.Report(
                    ValidationRules.EvidenceBeforeProgramme, $"milestones[{i}].evidenceDate",
                    $"Milestone '{milestone.Id}' has evidence dated {JsonText.Of(evidence)}, before partnership '{partnership.Id}' starts on {JsonText.Of(partnership.Period.Start)}.",
                    JsonText.Of(evidence));
            }
        }
    }
}

/// <summary>A phase: its enrolled schools and its targets' periods.</summary>
internal sealed class PhaseValidator : AbstractValidator<Phase>
{
    internal static readonly PhaseValidator Instance = new();

    private PhaseValidator()
    {
        RuleFor(p => p).Custom(CheckSchools);
        RuleFor(p => p).Custom((p, context) => TargetScope.Check(context, "targets", p.Targets, p.Period, "phase"));
        RuleForEach(p => p.Targets).SetValidator(TargetValidator.Instance).OverridePropertyName("targets");
    }

    private static void CheckSchools(Phase phase, ValidationContext<Phase> context)
    {
        var index = context.Session().Index;
        for (var i = 0; i < phase.Schools.Count; i++)
        {
            if (!index.Schools.ContainsKey(phase.Schools[i]))
            {
                context.ReportUnresolved(
                    ValidationRules.UnknownSchool, $"schools[{i}]",
                    $"Phase '{phase.Id}' enrols school '{phase.Schools[i]}', which is not in schools.", phase.Schools[i]);
            }
        }
    }
}

/// <summary>
/// Whether targets lie in the period of the partnership or phase that declares them (SP2004), and whether its
/// life-of-programme targets are one per indicator and role (SP6010) and span it (SP6011).
/// </summary>
internal static class TargetScope
{
    internal static void Check<T>(ValidationContext<T> context, string path, IReadOnlyList<Target> targets, DatePeriod scope, string scopeName)
    {
        var lifeOfProgramme = new Dictionary<(Id<Indicator>, BeneficiaryRole?), int>();
        for (var i = 0; i < targets.Count; i++)
        {
            var period = targets[i].Period;
            if (targets[i].Kind == TargetKind.LifeOfProgramme)
            {
                if (!lifeOfProgramme.TryAdd((targets[i].Indicator, targets[i].Role), i))
                {
                    context.Report(
                        ValidationRules.LifeOfProgrammeTargetRepeated, $"{path}[{i}].kind",
                        $"Indicator '{targets[i].Indicator}' already has a life-of-programme target in this {scopeName} at {path}[{lifeOfProgramme[(targets[i].Indicator, targets[i].Role)]}].",
                        JsonText.Of(targets[i].Kind));
                }
                if (period.Start != scope.Start || (scope.End is { } end && period.End != end))
                {
                    context.Report(
                        ValidationRules.LifeOfProgrammeTargetPeriod, $"{path}[{i}].period",
                        $"The life-of-programme target for '{targets[i].Indicator}' covers {JsonText.Of(period)}, not its {scopeName}'s period {JsonText.Of(scope)}.",
                        JsonText.Of(period));
                }
            }
            if (!scope.Contains(period.Start))
            {
                context.Report(
                    ValidationRules.TargetOutsideScope, $"{path}[{i}].period.start",
                    $"The target's period starts on {JsonText.Of(period.Start)}, outside its {scopeName}'s period {JsonText.Of(scope)}.",
                    JsonText.Of(period.Start));
            }
            if (!scope.Contains(period.End))
            {
                context.Report(
                    ValidationRules.TargetOutsideScope, $"{path}[{i}].period.end",
                    $"The target's period ends on {JsonText.Of(period.End)}, outside its {scopeName}'s period {JsonText.Of(scope)}.",
                    JsonText.Of(period.End));
            }
        }
    }
}

/// <summary>A target: its indicator resolves and its value fits the indicator.</summary>
internal sealed class TargetValidator : AbstractValidator<Target>
{
    internal static readonly TargetValidator Instance = new();

    private TargetValidator() => RuleFor(t => t).Custom(Check);

    private static void Check(Target target, ValidationContext<Target> context)
    {
        var indicator = context.Session().Index.Indicator(target.Indicator);
        if (indicator is null)
        {
            context.ReportUnresolved(
                ValidationRules.UnknownIndicator, "indicator",
                $"Indicator '{target.Indicator}' is not in indicators.", target.Indicator);
            return;
        }
        ValueChecks.Check(context, "value", indicator, target.Value);
        if (target.Value == 0 && indicator.Direction == Direction.HigherIsBetter)
        {
            context.Report(
                ValidationRules.TargetNotPositive, "value",
                $"The target for '{indicator.Id}' is 0, but more is better for it.", JsonText.Of(target.Value));
        }
    }
}

/// <summary>A milestone on its own: an achieved one has evidence.</summary>
internal sealed class MilestoneValidator : AbstractValidator<Milestone>
{
    internal static readonly MilestoneValidator Instance = new();

    private MilestoneValidator() =>
        RuleFor(m => m).Custom((milestone, context) =>
        {
            if (milestone.Status == MilestoneStatus.Achieved && milestone.EvidenceDate is null)
            {
                context.Report(
                    ValidationRules.AchievedWithoutEvidenceDate, "evidenceDate",
                    $"Milestone '{milestone.Id}' is achieved but has no evidence date.");
            }
        });
}
