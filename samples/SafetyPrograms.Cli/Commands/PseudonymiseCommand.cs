using System.CommandLine;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Cli.Commands;

/// <summary>
/// <c>pseudonymise</c>: replaces a partner's raw identifier column (phone numbers, national ids, learner ids) with a
/// <c>beneficiary</c> column of keyed-hash keys, streaming, so raw identifiers never enter the dataset.
/// </summary>
/// <remarks>
/// The secret comes from a file (<c>--secret-file</c>) or an environment variable (<c>--secret-env</c>, by default
/// <c>SAFETYPROGRAMS_SECRET</c>), never from the command line, where process listings and shell history would keep it.
/// </remarks>
internal static class PseudonymiseCommand
{
    public const string DefaultSecretVariable = "SAFETYPROGRAMS_SECRET";

    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "The partner's CSV file.", Required = true };
        var output = new Option<string>("--out") { Description = "The CSV file to write, with the raw column replaced.", Required = true };
        var column = new Option<string>("--column") { Description = "The raw identifier column.", Required = true };
        var scheme = new Option<string>("--scheme")
        {
            Description = "How the identifier is normalised: phone (Pakistan, +92), phone:CC (another calling code), nationalId, learner:NAMESPACE.",
            Required = true,
        };
        var secretVariable = new Option<string>("--secret-env")
        {
            Description = $"The environment variable holding the programme's secret (at least 32 bytes); {DefaultSecretVariable} by default.",
            DefaultValueFactory = _ => DefaultSecretVariable,
        };
        var secretFile = new Option<string?>("--secret-file")
        {
            Description = "A file holding the programme's secret instead (its text, one trailing line break ignored); readable only by you. "
                + "The secret is never taken as an argument, which process listings and shell history would keep.",
        };
        var command = new Command("pseudonymise", "Replace a raw identifier column with pseudonymous beneficiary keys (HMAC-SHA256), streaming.")
        {
            input, output, column, scheme, secretVariable, secretFile,
        };
        command.SetAction(CliAction.Background((parse, cancellationToken) =>
        {
            var inPath = parse.GetValue(input)!;
            var outPath = parse.GetValue(output)!;
            // Refused before anything is opened: an output that is the input would be emptied by opening it for writing.
            OutputFile.Check(outPath, [inPath]);
            using var pseudonymiser = new BeneficiaryPseudonymiser(Secret(parse.GetValue(secretFile), parse.GetValue(secretVariable)!));
            var mapper = new CsvColumnPseudonymiser(pseudonymiser, ParseScheme(parse.GetValue(scheme)!), parse.GetValue(column)!);
            CsvPseudonymisationSummary? summary = null;
            using (var reader = File.OpenRead(inPath))
            {
                OutputFile.Write(outPath, [inPath], writer => summary = mapper.Pseudonymise(reader, writer, cancellationToken));
            }
            var w = parse.InvocationConfiguration.Output;
            w.WriteLine($"rows read {summary!.RowsRead:N0} = written {summary.RowsWritten:N0} + rejected {summary.Rejections.Count:N0}; wrote {outPath}");
            foreach (var rejection in summary.Rejections.Take(50))
            {
                w.WriteLine($"  line {rejection.LineNumber}: {rejection.Reason}");
            }
            return summary.Rejections.Count == 0 ? ExitCodes.Success : ExitCodes.Invalid;
        }));
        return command;
    }

    /// <summary>The programme's secret: from <paramref name="file"/> when given, else from the environment variable.</summary>
    internal static string Secret(string? file, string variable)
    {
        if (file is not null)
        {
            var text = File.ReadAllText(file);
            var secret = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
            return secret.Length > 0
                ? secret
                : throw new ArgumentException($"The secret file {file} is empty. Put at least 32 random bytes' worth of text in it.");
        }
        var fromEnvironment = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrEmpty(fromEnvironment)
            ? throw new ArgumentException($"The environment variable {variable} holding the programme's secret is not set, and no --secret-file was given. Set one to at least 32 random bytes' worth of text; keep it out of shell history.")
            : fromEnvironment;
    }

    public static IdentifierScheme ParseScheme(string text)
    {
        var parts = text.Split(':', 2);
        return (parts[0].ToUpperInvariant(), parts.Length == 2 ? parts[1] : null) switch
        {
            ("PHONE", null) => IdentifierScheme.PakistanPhoneNumber,
            ("PHONE", { } code) => IdentifierScheme.PhoneNumber(code),
            ("NATIONALID", null) => IdentifierScheme.NationalId,
            ("LEARNER", { } ns) => IdentifierScheme.PartnerLearnerId(ns),
            _ => throw new ArgumentException($"--scheme '{text}' is not one of: phone, phone:CC, nationalId, learner:NAMESPACE."),
        };
    }
}
