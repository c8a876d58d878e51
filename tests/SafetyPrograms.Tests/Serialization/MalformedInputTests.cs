using System.Text;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Generators;

namespace SafetyPrograms.Tests.Serialization;

/// <summary>
/// Seeded random damage to valid files (a character deleted, inserted, replaced or swapped, a line cut short):
/// the readers either read the result or refuse it with a <see cref="DataFormatException"/>, never anything else.
/// </summary>
public class MalformedInputTests
{
    private const string Noise = "{}[]\",:-0123456789.eE+ntfrulaxyz\\\n\r\t \u00e9\u0000";

    private static string Damage(string text, Random random)
    {
        var chars = new StringBuilder(text);
        for (var n = random.Next(1, 4); n > 0 && chars.Length > 1; n--)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(5))
            {
                case 0:
                    chars.Remove(at, 1);
                    break;
                case 1:
                    chars.Insert(at, Noise[random.Next(Noise.Length)]);
                    break;
                case 2:
                    chars[at] = Noise[random.Next(Noise.Length)];
                    break;
                case 3:
                    var other = random.Next(chars.Length);
                    (chars[at], chars[other]) = (chars[other], chars[at]);
                    break;
                default:
                    chars.Length = at;
                    break;
            }
        }
        return chars.ToString();
    }

    [Fact]
    public void Dataset_RandomDamage_IsReadOrRefusedWithDataFormatException()
    {
        var random = new Random(1234);
        var refused = 0;
        for (var i = 0; i < 600; i++)
        {
            var json = ProgrammeDatasetJson.ToJson(new DomainGenerator(i).Dataset(2), indented: i % 2 == 0);
            var damaged = Damage(json, random);
            try
            {
                ProgrammeDatasetJson.Parse(damaged);
            }
            catch (DataFormatException ex)
            {
                refused++;
                Assert.NotNull(ex.Path);
                Assert.NotNull(ex.LineNumber);
            }
        }
        Assert.True(refused > 400, $"only {refused} of 600 damaged documents were refused");
    }

    [Fact]
    public void AllFormats_RandomBytesThatAreNotUtf8_AreReadOrRefusedWithDataFormatException()
    {
        var random = new Random(4321);
        var generator = new DomainGenerator(7);
        var records = Enumerable.Range(0, 20).Select(_ => generator.ParticipationRecord()).ToList();
        using var csv = new MemoryStream();
        using var jsonLines = new MemoryStream();
        ParticipationCsv.Write(csv, records);
        ParticipationJsonLines.Write(jsonLines, records);
        for (var i = 0; i < 300; i++)
        {
            var dataset = Corrupt(Encoding.UTF8.GetBytes(ProgrammeDatasetJson.ToJson(new DomainGenerator(i).Dataset(2))), random);
            try
            {
                ProgrammeDatasetJson.Read(new MemoryStream(dataset));
            }
            catch (DataFormatException)
            {
            }
            Assert.All(ParticipationJsonLines.Read(new MemoryStream(Corrupt(jsonLines.ToArray(), random))), r => Assert.True(r.IsSuccess || r.Error is not null));
            try
            {
                Assert.All(ParticipationCsv.Read(new MemoryStream(Corrupt(csv.ToArray(), random))), r => Assert.True(r.IsSuccess || r.Error is not null));
            }
            catch (DataFormatException)
            {
            }
        }

        static byte[] Corrupt(byte[] bytes, Random random)
        {
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100);
            }
            return bytes;
        }
    }

    [Fact]
    public void ParticipationStreams_RandomDamage_GiveOneResultPerLineAndNoOtherException()
    {
        var random = new Random(5678);
        var generator = new DomainGenerator(99);
        var records = Enumerable.Range(0, 50).Select(_ => generator.ParticipationRecord()).ToList();
        using var csv = new MemoryStream();
        using var jsonLines = new MemoryStream();
        ParticipationCsv.Write(csv, records);
        ParticipationJsonLines.Write(jsonLines, records);
        var csvText = Encoding.UTF8.GetString(csv.ToArray());
        var jsonLinesText = Encoding.UTF8.GetString(jsonLines.ToArray());
        for (var i = 0; i < 300; i++)
        {
            var damagedJsonLines = Damage(jsonLinesText, random);
            var results = ParticipationJsonLines.Read(new MemoryStream(Encoding.UTF8.GetBytes(damagedJsonLines))).ToList();
            Assert.All(results, r => Assert.True(r.IsSuccess || r.Error!.LineNumber == r.LineNumber));
            // A line ends at \n (a \r before it is dropped); lines of only spaces and tabs are skipped.
            Assert.Equal(damagedJsonLines.Split('\n').Count(l => (l.EndsWith('\r') ? l[..^1] : l).Trim(' ', '\t').Length > 0), results.Count);

            try
            {
                var rows = ParticipationCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(Damage(csvText, random)))).ToList();
                Assert.All(rows, r => Assert.True(r.IsSuccess || r.Error!.LineNumber == r.LineNumber));
            }
            catch (DataFormatException ex)
            {
                Assert.Equal(1, ex.LineNumber); // only a damaged header stops the whole file
            }
        }
    }
}
