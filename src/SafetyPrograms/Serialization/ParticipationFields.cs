using System.Globalization;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Serialization;

/// <summary>
/// One participation row as read from any source, before its values are decoded: each field's UTF-8 text exactly as the
/// JSON contract writes it (unquoted and unescaped), empty for a null or absent optional value. CSV, JSON Lines and any
/// later source (a spreadsheet, a database reader, Parquet) fill this one row type; <see cref="ParticipationFields.Decode"/>
/// then reads every value the same way for the typed readers, the store's ingest and the stream validator.
/// </summary>
/// <remarks><see cref="Completed"/> is the text <c>true</c> or <c>false</c> (a JSON source checks the token is a literal).</remarks>
internal ref struct ParticipationRow
{
    // The fields in column order (ParticipationColumns): a source fills them by name, Set fills them by column.
    internal ReadOnlySpan<byte> Beneficiary;
    internal ReadOnlySpan<byte> Activity;
    internal ReadOnlySpan<byte> Date;
    internal ReadOnlySpan<byte> Role;
    internal ReadOnlySpan<byte> Sex;
    internal ReadOnlySpan<byte> AgeBand;
    internal ReadOnlySpan<byte> Mode;
    internal ReadOnlySpan<byte> Completed;
    internal ReadOnlySpan<byte> School;
    internal ReadOnlySpan<byte> PreScore;
    internal ReadOnlySpan<byte> PostScore;
    internal ReadOnlySpan<byte> Age;
    internal ReadOnlySpan<byte> YearOfBirth;
    internal FunctioningRow Functioning;

    /// <summary>Sets the field of a column (<see cref="ParticipationColumns"/>): the one place a column number meets a field.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void Set(int column, ReadOnlySpan<byte> value)
    {
        switch (column)
        {
            case ParticipationColumns.Beneficiary: Beneficiary = value; break;
            case ParticipationColumns.Activity: Activity = value; break;
            case ParticipationColumns.Date: Date = value; break;
            case ParticipationColumns.Role: Role = value; break;
            case ParticipationColumns.Sex: Sex = value; break;
            case ParticipationColumns.AgeBand: AgeBand = value; break;
            case ParticipationColumns.Mode: Mode = value; break;
            case ParticipationColumns.Completed: Completed = value; break;
            case ParticipationColumns.School: School = value; break;
            case ParticipationColumns.PreScore: PreScore = value; break;
            case ParticipationColumns.PostScore: PostScore = value; break;
            case ParticipationColumns.Age: Age = value; break;
            case ParticipationColumns.YearOfBirth: YearOfBirth = value; break;
            default: Functioning.Set(column - ParticipationColumns.FirstFunctioning, value); break;
        }
    }
}

/// <summary>A row's answers to the functioning questions, one field per <see cref="FunctioningDomain"/>, empty when not given.</summary>
internal ref struct FunctioningRow
{
    // Written only through Set, by reference to the slot the one switch names (so that reading needs no copy of the row).
#pragma warning disable IDE0044
    private ReadOnlySpan<byte> _seeing, _hearing, _walking, _cognition, _selfCare, _communication;
    private ReadOnlySpan<byte> _learning, _remembering, _concentrating, _acceptingChange, _controllingBehaviour, _makingFriends;
    private ReadOnlySpan<byte> _anxiety, _depression;
#pragma warning restore IDE0044

    /// <summary>The answer text of a domain (its <see cref="FunctioningDomain"/> number), read where the row lies: no copy of the row.</summary>
    internal readonly ReadOnlySpan<byte> Answer(int domain) => Slot(domain);

    /// <summary>Whether any answer text was set: most rows carry none, and then none is looked at.</summary>
    internal bool Any { readonly get; private set; }

    /// <summary>Forgets whether an answer was set, before the row is refilled: each domain's text is then set anew.</summary>
    internal void Restart() => Any = false;

    /// <summary>Sets the answer text of a domain (its <see cref="FunctioningDomain"/> number).</summary>
    internal void Set(int domain, ReadOnlySpan<byte> text)
    {
        System.Runtime.CompilerServices.Unsafe.AsRef(in Slot(domain)) = text;
        Any |= !text.IsEmpty;
    }

    /// <summary>The field of a domain: the one place a domain number meets a field.</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    private readonly ref readonly ReadOnlySpan<byte> Slot(int domain)
    {
        switch ((FunctioningDomain)domain)
        {
            case FunctioningDomain.Seeing: return ref _seeing;
            case FunctioningDomain.Hearing: return ref _hearing;
            case FunctioningDomain.Walking: return ref _walking;
            case FunctioningDomain.Cognition: return ref _cognition;
            case FunctioningDomain.SelfCare: return ref _selfCare;
            case FunctioningDomain.Communication: return ref _communication;
            case FunctioningDomain.Learning: return ref _learning;
            case FunctioningDomain.Remembering: return ref _remembering;
            case FunctioningDomain.Concentrating: return ref _concentrating;
            case FunctioningDomain.AcceptingChange: return ref _acceptingChange;
            case FunctioningDomain.ControllingBehaviour: return ref _controllingBehaviour;
            case FunctioningDomain.MakingFriends: return ref _makingFriends;
            case FunctioningDomain.Anxiety: return ref _anxiety;
            default: return ref _depression;
        }
    }
}

/// <summary>
/// The participation columns, declared once: their numbers, their names (the CSV header names and the JSON members,
/// which are the record's constructor parameters) and which are required. Every source maps its columns onto
/// <see cref="ParticipationRow"/> by these names.
/// </summary>
internal static class ParticipationColumns
{
    internal const int Beneficiary = 0, Activity = 1, Date = 2, Role = 3, Sex = 4, AgeBand = 5, Mode = 6, Completed = 7,
        School = 8, PreScore = 9, PostScore = 10, Age = 11, YearOfBirth = 12, FirstFunctioning = 13;

    /// <summary>The first this many columns are required.</summary>
    internal const int RequiredCount = 8;

    /// <summary>The column names, in column order: the record's fields, then the person's age and functioning answers.</summary>
    internal static readonly string[] Names =
    [
        "beneficiary", "activity", "date", "role", "sex", "ageBand", "mode", "completed", "school", "preScore", "postScore",
        "age", "yearOfBirth", .. EnumNames<FunctioningDomain>.Names,
    ];

    /// <summary>The number of columns.</summary>
    internal static int Count => Names.Length;

    /// <summary>Whether a column holds a JSON number (or null): the scores, the age and the year of birth.</summary>
    internal static bool IsNumber(int column) => column is PreScore or PostScore or Age or YearOfBirth;

    /// <summary>Whether a column may be null or absent.</summary>
    internal static bool IsOptional(int column) => column >= RequiredCount;

    /// <summary>The column of a name, or -1.</summary>
    internal static int Of(ReadOnlySpan<byte> utf8Name)
    {
        for (var c = 0; c < Utf8Names.Length; c++)
        {
            if (utf8Name.SequenceEqual(Utf8Names[c]))
            {
                return c;
            }
        }
        return -1;
    }

    private static readonly byte[][] Utf8Names = [.. Names.Select(System.Text.Encoding.UTF8.GetBytes)];
}

/// <summary>A row's decoded values: a day number, enum values, and scores in ten-thousandths.</summary>
/// <param name="DayNumber">The date as a <see cref="DateOnly.DayNumber"/>.</param>
/// <param name="Role">The <see cref="BeneficiaryRole"/> value.</param>
/// <param name="Sex">The <see cref="Domain.Sex"/> value.</param>
/// <param name="AgeBand">The <see cref="Domain.AgeBand"/> value.</param>
/// <param name="Mode">The <see cref="DeliveryMode"/> value.</param>
/// <param name="Completed">Whether the beneficiary completed the activity.</param>
/// <param name="Pre">The pre score scaled (<see cref="ParticipationFields.ScoreScale"/>), or <see cref="ParticipationFields.NoScore"/> or <see cref="ParticipationFields.BadScore"/>.</param>
/// <param name="Post">The post score, likewise.</param>
/// <param name="Age">The age in completed years at the date (given, or from the year of birth), or <see cref="ParticipationFields.NoAge"/>.</param>
/// <param name="YearOfBirth">The year of birth, or 0.</param>
/// <param name="Functioning">The functioning answers in their compact form (<see cref="FunctioningAnswers.Packed"/>).</param>
internal readonly record struct FieldValues(
    int DayNumber, int Role, int Sex, int AgeBand, int Mode, bool Completed, long Pre, long Post, int Age, int YearOfBirth, ulong Functioning);

/// <summary>Why a row's fields could not be read: one sentence that names no value, and the column or member at fault (<c>$</c>: the line).</summary>
/// <param name="Message">What is wrong and where.</param>
/// <param name="Column">The column or member at fault.</param>
/// <param name="Fault">Which kind of unreadable record, for its catalogue rule.</param>
internal sealed record FieldProblem(string Message, string Column, ReadFault Fault = ReadFault.Unreadable);

/// <summary>Which catalogue rule an unreadable record falls under: the rule codes themselves live in Validation.</summary>
internal enum ReadFault
{
    /// <summary>SP8001: a value or the line cannot be read.</summary>
    Unreadable,

    /// <summary>SP8015: a quoted field is not closed on its line (<see cref="Utf8CsvRecords.MaxQuotedFieldBytes"/>).</summary>
    BrokenQuote,

    /// <summary>SP8018: a data-collection tool's submission sent again, refused by its source before decoding.</summary>
    SentAgain,
}

/// <summary>
/// The one field decoder for participation rows: dates, enum names (from the one name table per enum), booleans, scores
/// and keys, straight from UTF-8 bytes. Its messages say what is wrong and where, never the value.
/// </summary>
internal static class ParticipationFields
{
    internal const int Invalid = -1;

    /// <summary>Scores are held exactly in ten-thousandths.</summary>
    internal const long ScoreScale = 10_000;

    /// <summary>The largest score magnitude held, scaled: 1e9.</summary>
    internal const long MaxScaledScore = 1_000_000_000L * ScoreScale;

    /// <summary>A scaled score meaning "no score".</summary>
    internal const long NoScore = long.MaxValue;

    /// <summary>A scaled score meaning "a number that cannot be held" (more than 4 places, or over 1e9).</summary>
    internal const long BadScore = long.MinValue;

    private static readonly string IdRule = $"use 1 to {Identifiers.MaxLength} characters from A-Z, a-z, 0-9 and - _ . : /.";

    internal static readonly FieldProblem BadBeneficiary = new($"The beneficiary key is not valid: {IdRule}", "beneficiary");
    internal static readonly FieldProblem BadActivity = new($"The activity id is not valid: {IdRule}", "activity");
    internal static readonly FieldProblem BadSchool = new($"The school id is not valid: {IdRule}", "school");
    private static readonly FieldProblem NoBeneficiary = new("The beneficiary key is missing.", "beneficiary");
    private static readonly FieldProblem NoActivity = new("The activity is missing.", "activity");
    private static readonly FieldProblem BadDate = new("The date must be an ISO date such as 2025-12-03.", "date");
    private static readonly FieldProblem BadRole = NotANameOf<BeneficiaryRole>("role", "role");
    private static readonly FieldProblem BadSex = NotANameOf<Domain.Sex>("sex", "sex");
    private static readonly FieldProblem BadAgeBand = NotANameOf<Domain.AgeBand>("age band", "ageBand");
    private static readonly FieldProblem BadMode = NotANameOf<DeliveryMode>("mode", "mode");
    private static readonly FieldProblem BadCompleted = new("Completed must be true or false.", "completed");
    private static readonly FieldProblem BadPre = new("The pre score must be a number, at most about 7.9e28 in size.", "preScore");
    private static readonly FieldProblem BadPost = new("The post score must be a number, at most about 7.9e28 in size.", "postScore");
    private static readonly FieldProblem BadAge = new($"The age must be a whole number of completed years from 0 to {AgeRange.MaxAge}.", "age");
    private static readonly FieldProblem BadYearOfBirth = new(
        $"The year of birth must be a four-digit year, not after the date and at most {AgeRange.MaxAge} years before it.", "yearOfBirth");
    private static readonly FieldProblem AgeAndYearDisagree = new("The age and the year of birth disagree: give one, or both as of the date.", "age");
    private static readonly FieldProblem[] BadAnswer =
        [.. Enum.GetValues<FunctioningDomain>().Select(d => (Domain: d, Name: EnumNames<FunctioningDomain>.NameOf(d))).Select(x =>
            FunctioningAnswers.IsAskedAsFrequency(x.Domain)
                ? NotANameOf<FunctioningFrequency>($"answer for {x.Name}", x.Name)
                : NotANameOf<FunctioningAnswer>($"answer for {x.Name}", x.Name))];

    /// <summary>The age of a row that gives none (the store's age byte is the age itself, up to <see cref="AgeRange.MaxAge"/>).</summary>
    internal const int NoAge = -1;

    /// <summary>The problem of an enum field whose text is none of the one name table's names.</summary>
    private static FieldProblem NotANameOf<TEnum>(string what, string column)
        where TEnum : struct, Enum => new($"The {what} must be {EnumNames<TEnum>.Alternatives}.", column);

    /// <summary>
    /// Decodes a row's values, or says which field is unreadable (the first, in column order). The beneficiary key is
    /// checked here; activity and school ids are looked up by the caller, which checks their shape (<see cref="IdProblem"/>).
    /// </summary>
    internal static FieldProblem? Decode(scoped in ParticipationRow row, out FieldValues values)
    {
        values = default;
        if (row.Beneficiary.IsEmpty)
        {
            return NoBeneficiary;
        }
        if (!Identifiers.IsValid(row.Beneficiary, BeneficiaryKey.MaxLength))
        {
            return BadBeneficiary;
        }
        if (row.Activity.IsEmpty)
        {
            return NoActivity;
        }
        var day = Date(row.Date);
        if (day == Invalid)
        {
            return BadDate;
        }
        var role = EnumNames<BeneficiaryRole>.Index(row.Role);
        if (role == Invalid)
        {
            return BadRole;
        }
        var sex = EnumNames<Domain.Sex>.Index(row.Sex);
        if (sex == Invalid)
        {
            return BadSex;
        }
        var age = EnumNames<Domain.AgeBand>.Index(row.AgeBand);
        if (age == Invalid)
        {
            return BadAgeBand;
        }
        var mode = EnumNames<DeliveryMode>.Index(row.Mode);
        if (mode == Invalid)
        {
            return BadMode;
        }
        var completed = Bool(row.Completed);
        if (completed == Invalid)
        {
            return BadCompleted;
        }
        var pre = Score(row.PreScore, out var preIsNumber);
        if (!preIsNumber)
        {
            return BadPre;
        }
        var post = Score(row.PostScore, out var postIsNumber);
        if (!postIsNumber)
        {
            return BadPost;
        }
        var problem = Person(row, day, out var years, out var born, out var functioning);
        if (problem is not null)
        {
            return problem;
        }
        values = new FieldValues(day, role, sex, age, mode, completed == 1, pre, post, years, born, functioning);
        return null;
    }

    /// <summary>
    /// The person's fields: the age at the date in completed years (given, else the year of the date less the year of
    /// birth, the age reached that year), the year of birth, and the functioning answers packed.
    /// </summary>
    private static FieldProblem? Person(scoped in ParticipationRow row, int day, out int age, out int born, out ulong functioning)
    {
        age = NoAge;
        born = 0;
        functioning = 0;
        if (!row.Age.IsEmpty)
        {
            age = row.Age.Length <= 3 && (row.Age.Length == 1 || row.Age[0] != '0') ? Digits(row.Age) : -1;
            if (age is < 0 or > AgeRange.MaxAge)
            {
                return BadAge;
            }
        }
        if (!row.YearOfBirth.IsEmpty)
        {
            var year = DateOnly.FromDayNumber(day).Year;
            born = row.YearOfBirth.Length == 4 ? Digits(row.YearOfBirth) : -1;
            if (born > year || born < year - AgeRange.MaxAge)
            {
                return BadYearOfBirth;
            }
            var reached = year - born;
            // Completed years at the date are the age reached that year, or one less before the birthday.
            if (age != NoAge && age != reached && age != reached - 1)
            {
                return AgeAndYearDisagree;
            }
            age = age == NoAge ? reached : age;
        }
        var answers = FunctioningAnswers.None;
        for (var d = 0; row.Functioning.Any && d < BadAnswer.Length; d++)
        {
            var text = row.Functioning.Answer(d);
            if (text.IsEmpty)
            {
                continue;
            }
            var answer = AnswerIndex((FunctioningDomain)d, text);
            if (answer == Invalid)
            {
                return BadAnswer[d];
            }
            answers = answers.WithAnswer((FunctioningDomain)d, answer);
        }
        functioning = answers.Packed;
        return null;
    }

    /// <summary>The value an answer's text names on its domain's scale (a difficulty, or a frequency for anxiety and depression), or <see cref="Invalid"/>.</summary>
    internal static int AnswerIndex(FunctioningDomain domain, ReadOnlySpan<byte> text) =>
        FunctioningAnswers.IsAskedAsFrequency(domain) ? EnumNames<FunctioningFrequency>.Index(text) : EnumNames<FunctioningAnswer>.Index(text);

    /// <summary>The interchange name of a domain's answer on its own scale, or <c>null</c> when it is unanswered.</summary>
    internal static string? AnswerName(FunctioningAnswers answers, FunctioningDomain domain) => answers.Answered(domain) switch
    {
        < 0 => null,
        var v when FunctioningAnswers.IsAskedAsFrequency(domain) => EnumNames<FunctioningFrequency>.NameOf((FunctioningFrequency)v),
        var v => EnumNames<FunctioningAnswer>.NameOf((FunctioningAnswer)v),
    };

    /// <summary>The interchange names of a domain's answer scale, in value order.</summary>
    internal static IReadOnlyList<string> AnswerNames(FunctioningDomain domain) =>
        FunctioningAnswers.IsAskedAsFrequency(domain) ? EnumNames<FunctioningFrequency>.Names : EnumNames<FunctioningAnswer>.Names;

    /// <summary>What is wrong with a row's activity or school id, if anything (the school may be empty: none named).</summary>
    internal static FieldProblem? IdProblem(ReadOnlySpan<byte> activity, ReadOnlySpan<byte> school) =>
        !Identifiers.IsValid(activity, Identifiers.MaxLength) ? BadActivity
        : !school.IsEmpty && !Identifiers.IsValid(school, Identifiers.MaxLength) ? BadSchool
        : null;

    /// <summary>An ISO date <c>yyyy-MM-dd</c> as a day number (days since 0001-01-01), or <see cref="Invalid"/>.</summary>
    internal static int Date(ReadOnlySpan<byte> s)
    {
        if (s.Length != 10 || s[4] != '-' || s[7] != '-')
        {
            return Invalid;
        }
        int y = Digits(s[..4]), m = Digits(s.Slice(5, 2)), d = Digits(s.Slice(8, 2));
        if (y < 1 || m is < 1 or > 12 || d < 1)
        {
            return Invalid;
        }
        var leap = (y & 3) == 0 && (y % 100 != 0 || y % 400 == 0);
        var before = leap ? DaysBeforeMonthLeap : DaysBeforeMonth;
        if (d > before[m] - before[m - 1])
        {
            return Invalid;
        }
        // Days since 0001-01-01, as DateOnly.DayNumber counts them, without its checks made twice.
        var y1 = y - 1;
        return (y1 * 365) + (y1 / 4) - (y1 / 100) + (y1 / 400) + before[m - 1] + d - 1;
    }

    private static ReadOnlySpan<int> DaysBeforeMonth => [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

    private static ReadOnlySpan<int> DaysBeforeMonthLeap => [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366];

    private static int Digits(ReadOnlySpan<byte> s)
    {
        var v = 0;
        foreach (var b in s)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                return -1;
            }
            v = (v * 10) + digit;
        }
        return v;
    }

    internal static int Bool(ReadOnlySpan<byte> s) => s.SequenceEqual("true"u8) ? 1 : s.SequenceEqual("false"u8) ? 0 : Invalid;

    /// <summary>
    /// A score in ten-thousandths: <see cref="NoScore"/> for an empty value, <see cref="BadScore"/> when it has more than
    /// four decimal places or is over 1e9 in size, or is not a number (then <paramref name="isNumber"/> is false).
    /// </summary>
    internal static long Score(ReadOnlySpan<byte> s, out bool isNumber)
    {
        isNumber = true;
        if (s.IsEmpty)
        {
            return NoScore;
        }
        // Fast path: -?digits(.digits)? with at most 4 decimals, as writers emit.
        var i = 0;
        var negative = s[0] == '-';
        if (negative)
        {
            i++;
        }
        long whole = 0;
        var digits = 0;
        for (; i < s.Length && (uint)(s[i] - '0') <= 9 && digits < 12; i++, digits++)
        {
            whole = (whole * 10) + (s[i] - '0');
        }
        if (digits > 0 && digits < 12)
        {
            long fraction = 0;
            var places = 0;
            if (i < s.Length && s[i] == '.')
            {
                i++;
                for (; i < s.Length && (uint)(s[i] - '0') <= 9 && places < 4; i++, places++)
                {
                    fraction = (fraction * 10) + (s[i] - '0');
                }
                if (places == 0)
                {
                    i = -1;
                }
            }
            if (i == s.Length)
            {
                for (; places < 4; places++)
                {
                    fraction *= 10;
                }
                var scaled = (whole * ScoreScale) + fraction;
                if (scaled > MaxScaledScore || (digits > 1 && s[negative ? 1 : 0] == '0'))
                {
                    // Beyond the range held, or a leading zero, which the general path explains.
                    return General(s, out isNumber);
                }
                return negative ? -scaled : scaled;
            }
        }
        return General(s, out isNumber);
    }

    /// <summary>Any JSON number (exponents, long fractions, large values) through decimal; anything else is not a number.</summary>
    private static long General(ReadOnlySpan<byte> s, out bool isNumber)
    {
        var value = Decimal(s);
        isNumber = value is not null;
        // The value as decimal reads it (a number too small for decimal reads as zero), so that every path judges the same value.
        return isNumber ? Scaled(value) : BadScore;
    }

    /// <summary>A score as the typed readers give it (its scale kept: <c>4.50</c> stays 4.50), or <c>null</c> when it is not a JSON number or too large for decimal.</summary>
    internal static decimal? Decimal(ReadOnlySpan<byte> s)
    {
        if (!JsonNumberText.IsValid(s))
        {
            return null;
        }
        return TryPlainDecimal(s, out var value)
            || decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
            ? value
            : null;
    }

    /// <summary>A score scaled to ten-thousandths: <see cref="NoScore"/> for none, <see cref="BadScore"/> when it cannot be held.</summary>
    internal static long Scaled(decimal? score)
    {
        if (score is not { } s)
        {
            return NoScore;
        }
        var scaled = s * ScoreScale;
        return scaled == decimal.Truncate(scaled) && Math.Abs(scaled) <= MaxScaledScore ? (long)scaled : BadScore;
    }

    /// <summary>
    /// The common case of a score, unsigned digits with an optional decimal point ("4.5", "12"), without the general
    /// parser; the result, scale included, is what <see cref="decimal.Parse(string, IFormatProvider)"/> gives.
    /// </summary>
    internal static bool TryPlainDecimal(ReadOnlySpan<byte> text, out decimal value)
    {
        value = default;
        if (text.IsEmpty || text.Length > 18)
        {
            return false;
        }
        long mantissa = 0;
        var scale = -1;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit((char)c))
            {
                mantissa = (mantissa * 10) + (c - '0');
                scale += scale >= 0 ? 1 : 0;
            }
            else if (c == '.' && scale < 0)
            {
                scale = 0;
            }
            else
            {
                return false;
            }
        }
        if (scale == 0 || text[0] == '.')
        {
            return false; // "4." or ".5": leave to the general parser's rules
        }
        value = new decimal((int)(mantissa & 0xFFFFFFFF), (int)(mantissa >> 32), 0, false, (byte)Math.Max(scale, 0));
        return true;
    }
}
