using System.Text;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>
/// A row several rules refuse: the store names the first in the one order of checks (<c>RowFindings.Order</c>: the
/// school known before the activity), and the validator every one, so the store's code is among the validator's.
/// </summary>
public sealed class FirstRefusalTests
{
    [Fact]
    public void ActivityAndSchoolBothUnknown_StoreRefusesForTheSchool_ValidatorNamesBoth()
    {
        var file = Encoding.UTF8.GetBytes(CsvHeader + "\nben-1,act-nope,2024-01-01,student,female,10-14,online,true,sch-nope,,\n");

        var (report, store) = IngestFile(Programme, file, csv: true);
        var (_, codes) = ValidatorCodes(Programme, file, csv: true);

        Assert.Equal(0, store.Count);
        Assert.Equal([(2L, "SP8004", "school")], report.Rejects.Select(r => (r.LineNumber, r.Code, r.Path)));
        Assert.Equal(["SP8004", "SP8002"], codes[2]);
    }
}
