using SafetyPrograms.Serialization;

namespace SafetyPrograms.Privacy;

/// <summary>Writes RFC 4180 records with the participation writer's quoting rule (<see cref="ParticipationCsv.WriteField"/>).</summary>
internal static class CsvText
{
    internal static void WriteRecord(TextWriter output, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            ParticipationCsv.WriteField(output, fields[i], i == fields.Count - 1 ? '\n' : ',');
        }
        if (fields.Count == 0)
        {
            output.Write('\n');
        }
    }
}
