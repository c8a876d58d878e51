using System.Collections.Frozen;

namespace SafetyPrograms.Validation;

/// <summary>
/// The catalogue of every validation rule: the one place where codes, severities, titles and fixes are decided.
/// Validators take their code, severity and fix from here, and the README's rule table is checked against it.
/// </summary>
/// <remarks>
/// Codes are grouped by stage: SP0xxx input, SP1xxx identity and references, SP2xxx time, SP3xxx numbers,
/// SP4xxx disaggregation, SP5xxx privacy, SP6xxx indicator semantics, SP7xxx geography and codelists,
/// SP8xxx participation records. A code keeps its meaning forever. Thread-safe.
/// </remarks>
public static class ValidationRules
{
    /// <summary>
    /// SP0001: the input could not be read at all (not JSON, text that is not UTF-8, larger than the size cap); the
    /// problems of a readable file have codes of their own (SP0002-SP0009).
    /// </summary>
    public static readonly ValidationRule UnreadableInput = new(
        "SP0001", FindingSeverity.Error, RuleCategory.Input, "Input could not be read",
        "Correct the file at the line given so that it is UTF-8 JSON (or CSV) within the size cap; then validate it again.");

    /// <summary>SP0002: the dataset declares a schema version this library does not read.</summary>
    public static readonly ValidationRule UnsupportedSchemaVersion = new(
        "SP0002", FindingSeverity.Error, RuleCategory.Input, "Unsupported schema version",
        "Write the dataset with schemaVersion \"1.0\".");

    /// <summary>SP0003: an object has a member the contract does not know.</summary>
    public static readonly ValidationRule UnknownMember = new(
        "SP0003", FindingSeverity.Error, RuleCategory.Input, "Member not in the contract",
        "Remove the member, or correct its name (names are case-sensitive camelCase, as in the schema).");

    /// <summary>SP0004: an object lacks a required member.</summary>
    public static readonly ValidationRule MissingMember = new(
        "SP0004", FindingSeverity.Error, RuleCategory.Input, "Required member missing",
        "Add the member to the object.");

    /// <summary>SP0005: a member appears twice in one object.</summary>
    public static readonly ValidationRule RepeatedMember = new(
        "SP0005", FindingSeverity.Error, RuleCategory.Input, "Member repeated in one object",
        "Keep one of the members and delete the other.");

    /// <summary>SP0006: a value of the wrong kind (a string for a number, null for a list, an object for a string).</summary>
    public static readonly ValidationRule WrongType = new(
        "SP0006", FindingSeverity.Error, RuleCategory.Input, "Value of the wrong type",
        "Write a value of the kind the schema gives for the member.");

    /// <summary>SP0007: a date not in yyyy-MM-dd form, or one that does not exist (2025-02-30).</summary>
    public static readonly ValidationRule InvalidDate = new(
        "SP0007", FindingSeverity.Error, RuleCategory.Input, "Date not valid",
        "Write a date that exists, as yyyy-MM-dd.");

    /// <summary>SP0008: a value the model refuses (a negative count, a reversed period, an empty id, a province outside its country).</summary>
    public static readonly ValidationRule RefusedValue = new(
        "SP0008", FindingSeverity.Error, RuleCategory.Input, "Value refused by the model",
        "Correct the value so that it meets the rule the message gives.");

    /// <summary>SP0009: a code that is not in its codelist (an enum name).</summary>
    public static readonly ValidationRule UnknownCode = new(
        "SP0009", FindingSeverity.Error, RuleCategory.Codelist, "Code not in its codelist",
        "Use one of the codes the message lists, spelled exactly so.");

    /// <summary>SP1001: an identifier is used twice within its collection.</summary>
    public static readonly ValidationRule DuplicateId = new(
        "SP1001", FindingSeverity.Error, RuleCategory.Identity, "Id not unique within its collection",
        "Give each item its own id; if both entries describe the same thing, merge them.");

    /// <summary>SP1002: two schools share an EMIS code.</summary>
    public static readonly ValidationRule DuplicateEmisCode = new(
        "SP1002", FindingSeverity.Warning, RuleCategory.Identity, "EMIS code used by more than one school",
        "Check the EMIS code against the national register; one school has one code.");

    /// <summary>SP1003: two phases of one partnership have the same number.</summary>
    public static readonly ValidationRule DuplicatePhaseSequence = new(
        "SP1003", FindingSeverity.Error, RuleCategory.Identity, "Phase number not unique within its partnership",
        "Number the phases of a partnership 1, 2, 3 … without repeats.");

    /// <summary>SP1101: a reference to an organisation does not resolve.</summary>
    public static readonly ValidationRule UnknownOrganisation = new(
        "SP1101", FindingSeverity.Error, RuleCategory.Reference, "Organisation reference does not resolve",
        "Add the organisation to organisations or correct the id.");

    /// <summary>SP1102: a reference to a school does not resolve.</summary>
    public static readonly ValidationRule UnknownSchool = new(
        "SP1102", FindingSeverity.Error, RuleCategory.Reference, "School reference does not resolve",
        "Add the school to schools or correct the id.");

    /// <summary>SP1103: a reference to a phase does not resolve.</summary>
    public static readonly ValidationRule UnknownPhase = new(
        "SP1103", FindingSeverity.Error, RuleCategory.Reference, "Phase reference does not resolve",
        "Add the phase to its partnership's phases or correct the id.");

    /// <summary>SP1104: a reference to an indicator does not resolve.</summary>
    public static readonly ValidationRule UnknownIndicator = new(
        "SP1104", FindingSeverity.Error, RuleCategory.Reference, "Indicator reference does not resolve",
        "Add the indicator to indicators or correct the id.");

    /// <summary>SP1105: a reference to a cohort does not resolve.</summary>
    public static readonly ValidationRule UnknownCohort = new(
        "SP1105", FindingSeverity.Error, RuleCategory.Reference, "Cohort reference does not resolve",
        "Add the cohort to cohorts or correct the id.");

    /// <summary>SP1106: a reference to a partnership does not resolve.</summary>
    public static readonly ValidationRule UnknownPartnership = new(
        "SP1106", FindingSeverity.Error, RuleCategory.Reference, "Partnership reference does not resolve",
        "Add the partnership to partnerships or correct the id.");

    /// <summary>SP1107: a reported figure names a phase of another partnership.</summary>
    public static readonly ValidationRule PhaseOfOtherPartnership = new(
        "SP1107", FindingSeverity.Error, RuleCategory.Reference, "Phase belongs to another partnership",
        "Report the figure against the partnership that owns the phase, or name one of its own phases.");

    /// <summary>SP1108: a partnership has no lead or implementing member.</summary>
    public static readonly ValidationRule NoLeadOrImplementer = new(
        "SP1108", FindingSeverity.Error, RuleCategory.Reference, "Partnership has no lead or implementing member",
        "Give at least one member the role lead or implementing.");

    /// <summary>SP1109: a school is used in a phase that does not list it.</summary>
    public static readonly ValidationRule SchoolNotInPhase = new(
        "SP1109", FindingSeverity.Warning, RuleCategory.Reference, "School not enrolled in the phase",
        "Add the school to the phase's schools, or correct the school or phase.");

    /// <summary>SP1110: an activity counts attendance of a cohort from another phase.</summary>
    public static readonly ValidationRule CohortOfOtherPhase = new(
        "SP1110", FindingSeverity.Error, RuleCategory.Reference, "Attendance cohort belongs to another phase",
        "Count attendance only for cohorts of the activity's own phase.");

    /// <summary>SP1111: an organisation is listed twice in one partnership in the same role.</summary>
    public static readonly ValidationRule DuplicateMember = new(
        "SP1111", FindingSeverity.Warning, RuleCategory.Reference, "Member listed twice in the same role",
        "List each organisation once per role.");

    /// <summary>SP2001: a phase runs outside its partnership's period.</summary>
    public static readonly ValidationRule PhaseOutsidePartnership = new(
        "SP2001", FindingSeverity.Error, RuleCategory.Time, "Phase outside its partnership's period",
        "Move the phase's dates inside the partnership's period, or extend the partnership.");

    /// <summary>SP2002: two phases of one partnership overlap.</summary>
    public static readonly ValidationRule PhasesOverlap = new(
        "SP2002", FindingSeverity.Error, RuleCategory.Time, "Phases of a partnership overlap",
        "End a phase before the next starts, or validate with AllowOverlappingPhases when phases run in parallel.");

    /// <summary>SP2003: an activity is dated outside its phase.</summary>
    public static readonly ValidationRule ActivityOutsidePhase = new(
        "SP2003", FindingSeverity.Error, RuleCategory.Time, "Activity outside its phase's period",
        "Correct the activity's date or assign it to the phase it was held in.");

    /// <summary>SP2004: a target's period lies outside the partnership or phase it is declared in.</summary>
    public static readonly ValidationRule TargetOutsideScope = new(
        "SP2004", FindingSeverity.Error, RuleCategory.Time, "Target period outside its scope",
        "Set the target's period inside the period of the partnership or phase that declares it.");

    /// <summary>SP2005: a reported figure's period lies outside its partnership or phase.</summary>
    public static readonly ValidationRule ActualOutsideScope = new(
        "SP2005", FindingSeverity.Error, RuleCategory.Time, "Reported period outside its scope",
        "Report the figure for a period inside the partnership's (or the phase's) period.");

    /// <summary>SP2006: a milestone's evidence is dated before the programme started.</summary>
    public static readonly ValidationRule EvidenceBeforeProgramme = new(
        "SP2006", FindingSeverity.Error, RuleCategory.Time, "Milestone evidence before the programme",
        "Correct the evidence date; evidence the programme achieved something cannot predate it.");

    /// <summary>SP2007: an achieved milestone has no evidence date.</summary>
    public static readonly ValidationRule AchievedWithoutEvidenceDate = new(
        "SP2007", FindingSeverity.Warning, RuleCategory.Time, "Achieved milestone has no evidence date",
        "Add the date of the evidence (the committee's notification, the study's publication).");

    /// <summary>SP3001: a count is not a whole, non-negative number.</summary>
    public static readonly ValidationRule CountNotWhole = new(
        "SP3001", FindingSeverity.Error, RuleCategory.Number, "Count not a whole non-negative number",
        "Report counts of people or events as whole numbers of 0 or more.");

    /// <summary>SP3002: a percentage is outside 0 to 100.</summary>
    public static readonly ValidationRule PercentOutOfRange = new(
        "SP3002", FindingSeverity.Error, RuleCategory.Number, "Percentage outside 0..100",
        "Report percentages from 0 to 100 (50 for half, not 0.5).");

    /// <summary>SP3003: a score is outside the range its indicator declares.</summary>
    public static readonly ValidationRule ScoreOutOfRange = new(
        "SP3003", FindingSeverity.Error, RuleCategory.Number, "Score outside the indicator's range",
        "Report the score on the indicator's scale, or correct the indicator's minimum and maximum.");

    /// <summary>SP3004: more people attended an activity than the cohort has.</summary>
    public static readonly ValidationRule AttendanceAboveCohort = new(
        "SP3004", FindingSeverity.Warning, RuleCategory.Number, "Attendance above the cohort's size",
        "Check the attendance count, or update the cohort's size to include newcomers.");

    /// <summary>SP3005: a target is zero for an indicator where more is better.</summary>
    public static readonly ValidationRule TargetNotPositive = new(
        "SP3005", FindingSeverity.Error, RuleCategory.Number, "Target not positive",
        "Set a target above zero, or drop the target (a zero target is allowed only where lower is better).");

    /// <summary>SP3006: a figure is beyond ±10^15, where progress arithmetic could overflow.</summary>
    public static readonly ValidationRule FigureOutOfRange = new(
        "SP3006", FindingSeverity.Error, RuleCategory.Number, "Figure beyond ±10^15",
        "Check the figure's digits and units: no programme figure exceeds 10^15 (a million billion). Write an open end as a period without an end, not as a huge number.");

    /// <summary>SP4001: a breakdown's cells do not add up to the reported total.</summary>
    public static readonly ValidationRule DisaggregationMismatch = new(
        "SP4001", FindingSeverity.Error, RuleCategory.Disaggregation, "Disaggregation does not add up to the total",
        "Make the cells sum to the total; put people whose category was not recorded in a notRecorded cell.");

    /// <summary>SP4002: a breakdown's category is not in the dimension's codelist.</summary>
    public static readonly ValidationRule UnknownCategory = new(
        "SP4002", FindingSeverity.Error, RuleCategory.Codelist, "Category not in the dimension's codelist",
        "Use a category of the dimension as written in JSON (female, teacher, 10-14, PK-SD) or notRecorded.");

    /// <summary>SP4003: a breakdown lists the same category twice.</summary>
    public static readonly ValidationRule DuplicateCategory = new(
        "SP4003", FindingSeverity.Error, RuleCategory.Disaggregation, "Category repeated in a breakdown",
        "Merge the repeated cells into one.");

    /// <summary>SP4004: a figure has two breakdowns along the same dimension.</summary>
    public static readonly ValidationRule DuplicateDimension = new(
        "SP4004", FindingSeverity.Error, RuleCategory.Disaggregation, "Dimension repeated in one figure",
        "Keep one breakdown per dimension.");

    /// <summary>SP5001: a beneficiary key looks like a raw phone number, identity number or e-mail address.</summary>
    public static readonly ValidationRule KeyLooksLikeRawIdentifier = new(
        "SP5001", FindingSeverity.Warning, RuleCategory.Privacy, "Beneficiary key looks like a raw identifier",
        "Replace raw identifiers with keyed-hash pseudonymous keys (BeneficiaryPseudonymiser) before sharing the data.");

    /// <summary>SP6001: a cumulative series goes down.</summary>
    public static readonly ValidationRule CumulativeDecreases = new(
        "SP6001", FindingSeverity.Warning, RuleCategory.IndicatorSemantics, "Cumulative series decreases",
        "Report the total to date in each period; if a correction lowered it, note why in source.");

    /// <summary>SP6002: a unique-people figure was made by summing sub-groups or periods.</summary>
    public static readonly ValidationRule UniqueFigureSummed = new(
        "SP6002", FindingSeverity.Error, RuleCategory.IndicatorSemantics, "Unique-people figure produced by summing",
        "Recount distinct people over the whole scope and period; sums of unique counts double-count.");

    /// <summary>SP6003: a cumulative figure was made by summing shorter periods.</summary>
    public static readonly ValidationRule CumulativeFigureSummed = new(
        "SP6003", FindingSeverity.Error, RuleCategory.IndicatorSemantics, "Cumulative figure produced by summing periods",
        "Report the latest total to date; do not add up cumulative values.");

    /// <summary>SP6004: a percent or score indicator is declared cumulative.</summary>
    public static readonly ValidationRule UnitAccumulationMismatch = new(
        "SP6004", FindingSeverity.Error, RuleCategory.IndicatorSemantics, "Percent or score indicator declared cumulative",
        "Declare percent and score indicators lastValue; only counts accumulate.");

    /// <summary>SP6005: a score indicator has no declared range.</summary>
    public static readonly ValidationRule ScoreWithoutRange = new(
        "SP6005", FindingSeverity.Warning, RuleCategory.IndicatorSemantics, "Score indicator declares no range",
        "Give the indicator the scale's minimum and maximum.");

    /// <summary>SP6006: a percent indicator declares a range outside 0 to 100.</summary>
    public static readonly ValidationRule PercentRangeInvalid = new(
        "SP6006", FindingSeverity.Error, RuleCategory.IndicatorSemantics, "Percent indicator's range outside 0..100",
        "Keep a percent indicator's minimum and maximum within 0..100.");

    /// <summary>SP6007: the same figure is reported twice for one indicator, scope and period.</summary>
    public static readonly ValidationRule FigureReportedTwice = new(
        "SP6007", FindingSeverity.Warning, RuleCategory.IndicatorSemantics, "Figure reported twice for one scope and period",
        "Keep one figure per indicator, partnership or phase, and period; a rollup would count both.");

    /// <summary>SP6008: a reported figure differs from its recount from participation records by more than the tolerance.</summary>
    public static readonly ValidationRule ReportedDiffersFromRecount = new(
        "SP6008", FindingSeverity.Warning, RuleCategory.IndicatorSemantics, "Reported figure differs from its recount",
        "Check the figure against the participation records for the same scope and period: correct the report, or the records if people are missing from them.");

    /// <summary>SP6009: a percent indicator's numerator or denominator is not a count on the percent indicator's basis.</summary>
    public static readonly ValidationRule PercentPartsNotCounts = new(
        "SP6009", FindingSeverity.Error, RuleCategory.IndicatorSemantics, "Percent indicator's numerator or denominator is not a count on its basis",
        "Name two count indicators that count on the percent indicator's basis (unique people, or attendances) as its numerator and denominator.");

    /// <summary>SP6010: one indicator, scope and role has more than one life-of-programme target.</summary>
    public static readonly ValidationRule LifeOfProgrammeTargetRepeated = new(
        "SP6010", FindingSeverity.Error, RuleCategory.IndicatorSemantics, "More than one life-of-programme target",
        "Keep one life-of-programme target per indicator, scope and role; declare the others as period targets.");

    /// <summary>SP6011: a life-of-programme target's period is not its partnership's or phase's period.</summary>
    public static readonly ValidationRule LifeOfProgrammeTargetPeriod = new(
        "SP6011", FindingSeverity.Warning, RuleCategory.IndicatorSemantics, "Life-of-programme target does not span its scope",
        "Give the life-of-programme target the period of its partnership or phase, or declare it a period target.");

    /// <summary>SP6012: a yearly-cumulative figure's period crosses the start of its indicator's year.</summary>
    public static readonly ValidationRule YearlyFigureCrossesYearStart = new(
        "SP6012", FindingSeverity.Error, RuleCategory.IndicatorSemantics, "Yearly-cumulative figure crosses its year's start",
        "Report a yearly-cumulative figure from the start of its year (the indicator's yearStartMonth); the count restarts there.");

    /// <summary>SP7001: a province code is not in the country's codelist.</summary>
    public static readonly ValidationRule UnknownProvince = new(
        "SP7001", FindingSeverity.Error, RuleCategory.Codelist, "Province code not valid for the country",
        "Use the country's ISO 3166-2 first-level code (for Pakistan PK-PB, PK-SD, PK-KP, PK-BA, PK-IS, PK-GB, PK-JK).");

    /// <summary>SP7002: no province codelist is known for a country, so its province codes are not checked.</summary>
    public static readonly ValidationRule NoProvinceCodelist = new(
        "SP7002", FindingSeverity.Info, RuleCategory.Codelist, "No province codelist for the country",
        "Nothing to fix; province codes of this country are checked for form only.");

    /// <summary>SP7003: one district name appears under two provinces.</summary>
    public static readonly ValidationRule DistrictInTwoProvinces = new(
        "SP7003", FindingSeverity.Warning, RuleCategory.Geography, "District declared under more than one province",
        "Correct the school's province or district so that a district sits in one province.");

    /// <summary>SP7004: a district is spelled in two ways that differ only in case or spacing.</summary>
    public static readonly ValidationRule DistrictSpelling = new(
        "SP7004", FindingSeverity.Warning, RuleCategory.Geography, "District spelled inconsistently",
        "Spell each district one way, so that breakdowns by district do not split it.");

    /// <summary>SP7005: a phase enrols a school in a country other than its partnership's.</summary>
    public static readonly ValidationRule SchoolOutsideCountry = new(
        "SP7005", FindingSeverity.Error, RuleCategory.Geography, "School outside the partnership's country",
        "Correct the school's location or the partnership's country.");

    /// <summary>SP8001: a participation line could not be read.</summary>
    public static readonly ValidationRule UnreadableRecord = new(
        "SP8001", FindingSeverity.Error, RuleCategory.Participation, "Participation line could not be read",
        "Correct the line so that every column holds a value as written in JSON (enum names, ISO dates).");

    /// <summary>SP8002: a participation record names an unknown activity.</summary>
    public static readonly ValidationRule RecordUnknownActivity = new(
        "SP8002", FindingSeverity.Error, RuleCategory.Participation, "Record for an unknown activity",
        "Add the activity to the dataset or correct the record's activity id.");

    /// <summary>SP8003: a participation record is dated outside its activity's phase.</summary>
    public static readonly ValidationRule RecordOutsidePhase = new(
        "SP8003", FindingSeverity.Error, RuleCategory.Participation, "Record outside its activity's phase",
        "Correct the record's date or the activity it names.");

    /// <summary>SP8004: a participation record names an unknown school.</summary>
    public static readonly ValidationRule RecordUnknownSchool = new(
        "SP8004", FindingSeverity.Error, RuleCategory.Participation, "Record for an unknown school",
        "Add the school to the dataset or correct the record's school id.");

    /// <summary>SP8005: a participation record's school does not match its activity or phase.</summary>
    public static readonly ValidationRule RecordSchoolMismatch = new(
        "SP8005", FindingSeverity.Error, RuleCategory.Participation, "Record's school does not match the activity",
        "Use the activity's school, or a school enrolled in the activity's phase.");

    /// <summary>SP8006: a participation record's role has no cohort in the phase.</summary>
    public static readonly ValidationRule RecordRoleNotInPhase = new(
        "SP8006", FindingSeverity.Warning, RuleCategory.Participation, "Record's role has no cohort in the phase",
        "Correct the role, or declare a cohort for that role in the phase.");

    /// <summary>SP8007: a participation record's score is outside the assessment indicator's range.</summary>
    public static readonly ValidationRule RecordScoreOutOfRange = new(
        "SP8007", FindingSeverity.Error, RuleCategory.Participation, "Record's score outside the assessment's range",
        "Record scores on the assessment indicator's scale.");

    /// <summary>SP8008: a participation record is dated before its activity.</summary>
    public static readonly ValidationRule RecordBeforeActivity = new(
        "SP8008", FindingSeverity.Warning, RuleCategory.Participation, "Record dated before its activity",
        "Correct the record's date; attendance cannot precede the activity.");

    /// <summary>SP8009: a participation record's delivery mode contradicts its activity's.</summary>
    public static readonly ValidationRule RecordModeMismatch = new(
        "SP8009", FindingSeverity.Warning, RuleCategory.Participation, "Record's mode contradicts the activity's",
        "Use the activity's mode; only a hybrid activity has both in-person and online participants.");

    /// <summary>SP8010: one beneficiary is recorded twice at one activity (checked when asked for).</summary>
    public static readonly ValidationRule RecordRepeated = new(
        "SP8010", FindingSeverity.Warning, RuleCategory.Participation, "Beneficiary recorded twice at one activity",
        "Remove the repeated line; one beneficiary attends one activity once.");

    /// <summary>SP8011: a participation record is dated outside the days the library holds (2000-01-01 to 2179-06-06).</summary>
    public static readonly ValidationRule RecordDateNotHeld = new(
        "SP8011", FindingSeverity.Error, RuleCategory.Participation, "Record dated outside 2000-01-01..2179-06-06",
        "Correct the record's date; participation is held for days from 2000-01-01 to 2179-06-06.");

    /// <summary>SP8012: a participation record's score has more than 4 decimal places or is over 1e9 in size.</summary>
    public static readonly ValidationRule RecordScoreNotHeld = new(
        "SP8012", FindingSeverity.Error, RuleCategory.Participation, "Record's score has more than 4 decimal places or exceeds 1e9",
        "Round the score to at most 4 decimal places and keep it within -1e9..1e9.");

    /// <summary>SP8013: a participation record would bring a 65,536th distinct score value into one store or stream.</summary>
    public static readonly ValidationRule RecordTooManyScores = new(
        "SP8013", FindingSeverity.Error, RuleCategory.Participation, "Record would add a 65,536th distinct score value",
        "Record scores on a scale with at most 65,535 distinct values (such as whole points or halves), or split the file.");

    /// <summary>SP8014: a participation record names an activity whose phase, school or organisation is not in the dataset.</summary>
    public static readonly ValidationRule RecordActivityUnusable = new(
        "SP8014", FindingSeverity.Error, RuleCategory.Participation, "Record for an activity that cannot be placed",
        "Add the activity's phase, school and organisation to the dataset (see SP1101, SP1102, SP1103) or correct the activity.");

    /// <summary>SP8015: a CSV record's quoted field is not closed on its line (within 65,536 bytes of its opening quote, or before the end of the input).</summary>
    public static readonly ValidationRule RecordBrokenQuote = new(
        "SP8015", FindingSeverity.Error, RuleCategory.Participation, "Record with a quote that is not closed",
        "Close the quoted field on its line, or remove the stray quote; the lines after it are read as records of their own.");

    /// <summary>SP8016: a participation record beyond the ingest limits (1,000,000,000 records, or the store's memory bound); reading stops there.</summary>
    public static readonly ValidationRule RecordBeyondLimit = new(
        "SP8016", FindingSeverity.Error, RuleCategory.Participation, "Record beyond the ingest limits",
        "Split the input into parts of at most 1,000,000,000 records, and aggregate the parts (AggregatePartial) on machines with the memory they need.");

    /// <summary>SP8017: a beneficiary's functioning answers or year of birth differ from those on an earlier line; the store keeps the first.</summary>
    public static readonly ValidationRule PersonAttributesDiffer = new(
        "SP8017", FindingSeverity.Warning, RuleCategory.Participation, "Beneficiary's answers or year of birth differ between records",
        "Record a person's Washington Group answers and year of birth the same way on every line, or on one line only; the first set is the one counted.");

    /// <summary>SP8018: a data-collection submission sent again (the same submission id as one read before); its records are counted once.</summary>
    public static readonly ValidationRule SubmissionSentAgain = new(
        "SP8018", FindingSeverity.Error, RuleCategory.Participation, "Submission sent again",
        "Nothing to fix: the first copy was read. Delete the duplicate submission in the data-collection tool to keep exports clean.");

    /// <summary>SP8019: summary attendance given twice for one activity and cohort in one import; the first row's figure is the one read.</summary>
    public static readonly ValidationRule AttendanceGivenTwice = new(
        "SP8019", FindingSeverity.Error, RuleCategory.Participation, "Summary attendance given twice for one activity and cohort",
        "Give each cohort's attendance at an activity on one row only; the first row is the one read.");

    /// <summary>Every rule, in code order.</summary>
    public static IReadOnlyList<ValidationRule> All { get; } =
    [
        UnreadableInput, UnsupportedSchemaVersion, UnknownMember, MissingMember, RepeatedMember, WrongType, InvalidDate, RefusedValue, UnknownCode,
        DuplicateId, DuplicateEmisCode, DuplicatePhaseSequence,
        UnknownOrganisation, UnknownSchool, UnknownPhase, UnknownIndicator, UnknownCohort, UnknownPartnership,
        PhaseOfOtherPartnership, NoLeadOrImplementer, SchoolNotInPhase, CohortOfOtherPhase, DuplicateMember,
        PhaseOutsidePartnership, PhasesOverlap, ActivityOutsidePhase, TargetOutsideScope, ActualOutsideScope,
        EvidenceBeforeProgramme, AchievedWithoutEvidenceDate,
        CountNotWhole, PercentOutOfRange, ScoreOutOfRange, AttendanceAboveCohort, TargetNotPositive, FigureOutOfRange,
        DisaggregationMismatch, UnknownCategory, DuplicateCategory, DuplicateDimension,
        KeyLooksLikeRawIdentifier,
        CumulativeDecreases, UniqueFigureSummed, CumulativeFigureSummed, UnitAccumulationMismatch, ScoreWithoutRange, PercentRangeInvalid,
        FigureReportedTwice, ReportedDiffersFromRecount, PercentPartsNotCounts, LifeOfProgrammeTargetRepeated, LifeOfProgrammeTargetPeriod,
        YearlyFigureCrossesYearStart,
        UnknownProvince, NoProvinceCodelist, DistrictInTwoProvinces, DistrictSpelling, SchoolOutsideCountry,
        UnreadableRecord, RecordUnknownActivity, RecordOutsidePhase, RecordUnknownSchool, RecordSchoolMismatch,
        RecordRoleNotInPhase, RecordScoreOutOfRange, RecordBeforeActivity, RecordModeMismatch, RecordRepeated,
        RecordDateNotHeld, RecordScoreNotHeld, RecordTooManyScores, RecordActivityUnusable, RecordBrokenQuote, RecordBeyondLimit,
        PersonAttributesDiffer, SubmissionSentAgain, AttendanceGivenTwice,
    ];

    private static readonly FrozenDictionary<string, ValidationRule> ByCode =
        All.ToFrozenDictionary(r => r.Code, StringComparer.Ordinal);

    /// <summary>The rule with a code.</summary>
    /// <param name="code">The code, such as <c>SP2001</c>.</param>
    /// <returns>The rule, or <c>null</c> when no rule has that code.</returns>
    public static ValidationRule? Find(string code) => code is null ? null : ByCode.GetValueOrDefault(code);
}
