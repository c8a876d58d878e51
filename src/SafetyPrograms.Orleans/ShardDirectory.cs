using SafetyPrograms.Utility;

namespace SafetyPrograms.Orleans;

/// <summary>
/// One shard's directory: its manifest and one Parquet file per accepted chunk. Every write goes to a temporary file,
/// is flushed to disk and renamed into place, so a silo that stops mid-write leaves the old file or the new one.
/// </summary>
/// <remarks>File names are the shard's own sequence numbers, never the caller's chunk ids, which are free text.</remarks>
internal sealed class ShardDirectory(string path)
{
    private const string ManifestName = "manifest.json";

    internal string Path { get; } = path;

    private string ManifestPath => System.IO.Path.Combine(Path, ManifestName);

    /// <summary>The manifest, or null when the shard has never accepted a chunk.</summary>
    internal ShardManifest? ReadManifest() =>
        File.Exists(ManifestPath) ? ShardManifest.Read(File.ReadAllBytes(ManifestPath), ManifestPath) : null;

    internal void WriteManifest(ShardManifest manifest) => WriteAtomically(ManifestName, manifest.ToUtf8());

    /// <summary>The file name of the <paramref name="sequence"/>-th chunk (from 1).</summary>
    internal static string ChunkFileName(int sequence) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"chunk-{sequence:D6}.parquet");

    internal void WriteChunk(string fileName, byte[] parquet) => WriteAtomically(fileName, parquet);

    internal Stream OpenChunk(string fileName) => File.OpenRead(System.IO.Path.Combine(Path, Preconditions.CheckNotNull(fileName)));

    internal void DeleteChunk(string fileName) => File.Delete(System.IO.Path.Combine(Path, fileName));

    private void WriteAtomically(string fileName, byte[] bytes)
    {
        Directory.CreateDirectory(Path);
        var target = System.IO.Path.Combine(Path, fileName);
        var temporary = target + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, target, overwrite: true);
    }
}
