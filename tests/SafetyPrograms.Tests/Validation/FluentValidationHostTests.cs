using FluentValidation;
using FluentValidation.TestHelper;
using SafetyPrograms.Validation;
using static SafetyPrograms.Tests.Validation.TestData;

namespace SafetyPrograms.Tests.Validation;

/// <summary>The composed validator works with FluentValidation's own tooling, paths and options.</summary>
public sealed class FluentValidationHostTests
{
    [Fact]
    public void TestValidate_ActivityOutsideItsPhase_HasErrorAtTheJsonPath()
    {
        var result = ProgrammeDatasetValidator.Instance.TestValidate(Dataset(activities: [Activity(date: "2024-08-01")]));

        result.ShouldHaveValidationErrorFor("activities[0].date").WithErrorCode("SP2003").WithSeverity(Severity.Error);
    }

    [Fact]
    public void TestValidate_PhaseOutsidePartnership_HasErrorAtTheNestedJsonPath()
    {
        var dataset = Dataset(partnerships: [Partnership(phases: [Phase1(), Phase2(period: Period("2024-07-01", "2026-03-31"))])]);

        var result = ProgrammeDatasetValidator.Instance.TestValidate(dataset);

        result.ShouldHaveValidationErrorFor("partnerships[0].phases[1].period.end").WithErrorCode("SP2001").When(f => (string)f.AttemptedValue == "2026-03-31");
    }

    [Fact]
    public void CreateContext_CarriesOptions()
    {
        var dataset = Dataset(activities: [Activity(date: "2024-08-01", facilitatedBy: "telecom")]);

        var result = ProgrammeDatasetValidator.Instance.Validate(
            ProgrammeDatasetValidator.CreateContext(dataset, new ValidationOptions { StructuralOnly = true }));

        Assert.Equal(["SP1101"], result.Errors.Select(e => e.ErrorCode));
    }

    [Fact]
    public void Validate_DoesNotChangeGlobalOptions()
    {
        var resolver = ValidatorOptions.Global.PropertyNameResolver;
        var displayResolver = ValidatorOptions.Global.DisplayNameResolver;

        ProgrammeValidator.Validate(Dataset(activities: [Activity(date: "2024-08-01")]));

        Assert.Same(resolver, ValidatorOptions.Global.PropertyNameResolver);
        Assert.Same(displayResolver, ValidatorOptions.Global.DisplayNameResolver);
    }
}
