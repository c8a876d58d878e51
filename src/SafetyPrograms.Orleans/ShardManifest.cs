using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetyPrograms.Orleans;

/// <summary>
/// What a shard holds on disk: its hash range and, per accepted chunk, the chunk id, the Parquet file, how many records
/// it holds and how many of them the store accepted, and a digest of the file. The manifest is the truth: a file it
/// does not name (left by a crash between the file and the manifest) is ignored and later overwritten.
/// </summary>
/// <remarks>
/// JSON: <c>{"format":"safetyprograms.shardManifest","version":1,"range":"0000000000000000-0fffffffffffffff",
/// "chunks":[{"id":"…","file":"chunk-000001.parquet","records":n,"accepted":n,"sha256":"…"}]}</c>. Written to a
/// temporary file and renamed over the old one, so a reader sees the old manifest or the new, never half of one.
/// </remarks>
internal sealed record ShardManifest(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("range")] string Range,
    [property: JsonPropertyName("chunks")] IReadOnlyList<ShardChunk> Chunks)
{
    internal const string FormatName = "safetyprograms.shardManifest";

    internal static ShardManifest Empty(string range) => new(FormatName, 1, range, []);

    internal ShardManifest With(ShardChunk chunk) => this with { Chunks = [.. Chunks, chunk] };

    internal ShardChunk? Find(string chunkId) => Chunks.FirstOrDefault(c => string.Equals(c.Id, chunkId, StringComparison.Ordinal));

    internal byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, ShardManifestJson.Default.ShardManifest);

    /// <summary>Reads a manifest, refusing another format or version.</summary>
    internal static ShardManifest Read(ReadOnlySpan<byte> utf8, string path)
    {
        ShardManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(utf8, ShardManifestJson.Default.ShardManifest);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The shard manifest {path} is not valid JSON: {e.Message}", e);
        }
        if (manifest is not { Format: FormatName, Version: 1, Range: not null, Chunks: not null })
        {
            throw new InvalidDataException($"{path} is not a version 1 shard manifest.");
        }
        return manifest;
    }
}

/// <summary>One accepted chunk in a shard's manifest.</summary>
internal sealed record ShardChunk(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("records")] long Records,
    [property: JsonPropertyName("accepted")] long Accepted,
    [property: JsonPropertyName("sha256")] string Sha256);

[JsonSourceGenerationOptions(WriteIndented = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ShardManifest))]
internal sealed partial class ShardManifestJson : JsonSerializerContext;
