using System.CommandLine;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Cli.Commands;

/// <summary><c>schema [--out DIR]</c>: writes the JSON Schemas partners validate their files with.</summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "The folder to write the schema files to.", DefaultValueFactory = _ => "schemas" };
        var command = new Command("schema", "Write the JSON Schemas (Draft 2020-12) of the dataset, a participation record and a validation report.") { output };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(output)!;
            Directory.CreateDirectory(directory);
            var files = new (string Name, string Text)[]
            {
                ("programme-dataset.schema.json", JsonSchemas.Dataset),
                ("participation-record.schema.json", JsonSchemas.ParticipationRecord),
                ("validation-report.schema.json", ValidationReport.JsonSchema),
                ("adx-mapping.schema.json", Exchange.AdxMapping.JsonSchema),
            };
            foreach (var (name, text) in files)
            {
                var path = Path.Combine(directory, name);
                OutputFile.WriteText(path, [], writer => writer.Write(text));
                parse.InvocationConfiguration.Output.WriteLine(path);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
