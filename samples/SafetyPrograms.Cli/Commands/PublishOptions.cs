using System.CommandLine;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Cli.Commands;

/// <summary>The <c>--publish</c> options shared by <c>aggregate</c>, <c>report</c> and <c>export</c> (which always publishes): one place that turns them into a policy.</summary>
internal sealed class PublishOptions(bool always = false)
{
    private readonly Option<bool> _publish = new("--publish") { Description = "Apply the publication policy: suppress small cells and the cells that would reveal them." };
    private readonly Option<int> _minimum = new("--min-cell") { Description = "With --publish: the smallest figure shown.", DefaultValueFactory = _ => 10 };
    private readonly Option<int?> _round = new("--round") { Description = "With --publish: round published figures to this base, such as 5." };
    private readonly Option<bool> _hideZeros = new("--hide-zeros") { Description = "With --publish: suppress zeros too." };
    private readonly Option<string?> _audit = new("--audit") { Description = "With --publish: write the owner's private audit (why each figure is hidden) to this CSV file. Never publish it." };

    public void AddTo(Command command)
    {
        if (!always)
        {
            command.Options.Add(_publish);
        }
        command.Options.Add(_minimum);
        command.Options.Add(_round);
        command.Options.Add(_hideZeros);
        if (!always)
        {
            command.Options.Add(_audit);
        }
    }

    /// <summary>With <c>--audit FILE</c>, writes each published table's private audit there, one section per table; never onto an input.</summary>
    public void WriteAudit(ParseResult parse, IEnumerable<string> inputs, IEnumerable<(string Caption, PublishedTable Table)> tables)
    {
        if (parse.GetValue(_audit) is not { } path)
        {
            return;
        }
        OutputFile.WriteText(path, inputs, file =>
        {
            foreach (var (caption, table) in tables)
            {
                file.Write($"# table: {caption}\n");
                PublicationAudit.WriteCsv(table, file);
            }
        });
    }

    /// <summary>The policy, or <c>null</c> when <c>--publish</c> was not given.</summary>
    public PublicationPolicy? Policy(ParseResult parse) => always || parse.GetValue(_publish)
        ? new PublicationPolicy(parse.GetValue(_minimum), parse.GetValue(_round), showZeros: !parse.GetValue(_hideZeros))
        : null;
}
