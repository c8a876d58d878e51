using System.Diagnostics.CodeAnalysis;
using SafetyPrograms.Domain;
using SafetyPrograms.Ingest;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>
/// Keys raw identifiers of one kind with the programme's <see cref="BeneficiaryPseudonymiser"/> as a source's rows are
/// read (<see cref="ParticipationSourceOptions.RawIdentifiers"/>), so that raw identifiers never reach the store, an
/// output or a log.
/// </summary>
/// <remarks>Thread-safe, as the pseudonymiser is. It does not own the pseudonymiser: dispose that yourself.</remarks>
/// <param name="pseudonymiser">The pseudonymiser over the programme's secret.</param>
/// <param name="scheme">What kind of identifier the column holds and how to normalise it.</param>
public sealed class RawIdentifierKeys(BeneficiaryPseudonymiser pseudonymiser, IdentifierScheme scheme) : IRawIdentifierKeys
{
    private readonly BeneficiaryPseudonymiser _pseudonymiser = Preconditions.CheckNotNull(pseudonymiser);
    private readonly IdentifierScheme _scheme = Preconditions.CheckNotNull(scheme);

    /// <inheritdoc/>
    public bool TryKey(string rawIdentifier, out BeneficiaryKey key, [NotNullWhen(false)] out string? problem) =>
        _pseudonymiser.TryPseudonymise(rawIdentifier, _scheme, out key, out problem);
}
