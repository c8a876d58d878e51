using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Corpus;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Tests.Domain;

/// <summary>The one rule for showing input values: raw identifiers, failed keys and non-text never come back out.</summary>
public class ValueTextTests
{
    public static TheoryData<string> NeverShown => HostileValues.All(HostileValues.RawIdentifiers, HostileValues.NeverShown);

    public static TheoryData<string> Escapes => HostileValues.All(HostileValues.EscapeSequences);

    [Theory]
    [MemberData(nameof(NeverShown))]
    public void Quote_RawIdentifierOrOverlong_IsDescribedNotRepeated(string value)
    {
        var text = ValueText.Quote(value);
        Assert.False(ValueText.MayShow(value));
        Assert.DoesNotContain(value, text, StringComparison.Ordinal);
        Assert.DoesNotContain("1234567", text, StringComparison.Ordinal);
        Assert.Contains("(not shown)", text, StringComparison.Ordinal);
        Assert.Null(ValueText.Screen(value));
    }

    [Theory]
    [InlineData("school-1")]
    [InlineData("2024-02-30")]
    [InlineData("stuent")]
    [InlineData("12345")]
    public void Quote_OrdinaryValue_IsShownInQuotes(string value)
    {
        Assert.Equal("'" + value + "'", ValueText.Quote(value));
        Assert.Equal(value, ValueText.Screen(value));
    }

    [Fact]
    public void Withhold_NeverShowsEvenAHarmlessLookingValue()
    {
        Assert.Equal("a value of 8 characters (not shown)", ValueText.Withhold("Ali Khan"));
        Assert.Equal("a value of 13 characters that looks like a phone number (not shown)", ValueText.Withhold("+923001234567"));
    }

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Escape_ControlAndBidiCharacters_BecomeVisibleEscapes(string value)
    {
        var escaped = ValueText.Escape(value);
        Assert.False(HostileValues.HasRawControl(escaped), escaped);
        Assert.DoesNotContain('\r', escaped);
        Assert.Contains("\\u", escaped, StringComparison.Ordinal);
    }

    [Fact]
    public void Escape_KeepLineBreaks_KeepsOnlyTheProgramsOwnLineBreaks()
    {
        Assert.Equal("a\nb\tc\r\n", ValueText.Escape("a\nb\tc\r\n", keepLineBreaks: true));
        Assert.Equal("a\\u000Db\\u001B[2J", ValueText.Escape("a\rb\u001b[2J", keepLineBreaks: true));
        Assert.Equal("pair \U0001F600 lone \\uD800.", ValueText.Escape("pair \U0001F600 lone \ud800."));
    }

    [Theory]
    [MemberData(nameof(NeverShown))]
    public void ScreenMessage_QuotedRawValue_IsReplacedWhereverABuilderPutIt(string value)
    {
        var message = $"The dataset's row has '{value}' where a key belongs: '{value}' is not valid.";
        var screened = ValueText.ScreenMessage(message);
        Assert.DoesNotContain(value, screened, StringComparison.Ordinal);
        Assert.StartsWith("The dataset's row has a value of ", screened, StringComparison.Ordinal);
        Assert.Equal("Activity 'a-1' is not in the dataset's activities.", ValueText.ScreenMessage("Activity 'a-1' is not in the dataset's activities."));
    }

    [Theory]
    [MemberData(nameof(NeverShown))]
    public void ValidationFinding_NeverKeepsARawValue_InMessagePathOrAttemptedValue(string value)
    {
        var finding = new ValidationFinding("SP8001", FindingSeverity.Error, value, $"'{value}' is not valid.", "Fix it.", value, 2);
        var text = finding.ToString();
        Assert.DoesNotContain(value, text, StringComparison.Ordinal);
        Assert.Null(finding.AttemptedValue);
        Assert.DoesNotContain(value, finding.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidationFinding_OnTheBeneficiaryColumn_ShowsNoValueAtAll()
    {
        var finding = new ValidationFinding("SP8001", FindingSeverity.Error, "beneficiary", "'Ali Khan' is not a valid beneficiary key.", "", "Ali Khan", 3);
        Assert.DoesNotContain("Ali", finding.ToString(), StringComparison.Ordinal);
        Assert.Null(finding.AttemptedValue);
    }

    [Theory]
    [MemberData(nameof(NeverShown))]
    public void DataFormatException_ScreensItsMessageAndPath(string value)
    {
        var error = new DataFormatException($"The header row has unknown column '{value}'.", "f.csv", value, 1, null);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Path!, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NeverShown))]
    public void BeneficiaryKey_Invalid_ExceptionDoesNotRepeatIt(string value)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new BeneficiaryKey(value + " "));
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScreenMessage_IsLinearOnAnAdversarialMessage()
    {
        // A mebibyte of opening quotes with no closing one: each quote is visited a bounded number of times.
        var message = string.Concat(Enumerable.Repeat(" 'x", 1 << 18));
        Assert.Equal(message, ValueText.ScreenMessage(message));
    }
}
