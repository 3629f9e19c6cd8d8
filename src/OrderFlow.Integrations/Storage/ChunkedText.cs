using System.IO.Compression;
using System.Text;
using Azure.Data.Tables;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// Stores text that may exceed one table property. A string property holds at most 64 KiB (32K UTF-16 chars), a
/// binary one 64 KiB, an entity 1 MiB: short text stays a readable string; longer text is gzip-compressed and split
/// across binary properties Name00, Name01, ... so webhook payloads of several hundred KB fit in one entity.
/// </summary>
internal static class ChunkedText
{
    internal const int MaxInlineChars = 30_000;
    internal const int ChunkBytes = 60 * 1024;

    // Leaves room under the 1 MiB entity limit for keys and the other properties.
    internal const int MaxStoredBytes = 900 * 1024;

    public static void Write(TableEntity entity, string name, string text)
    {
        if (text.Length <= MaxInlineChars)
        {
            entity[name] = text;
            return;
        }

        var compressed = Compress(Encoding.UTF8.GetBytes(text));
        if (compressed.Length > MaxStoredBytes)
        {
            throw new InvalidOperationException(
                $"{name} is {text.Length} characters ({compressed.Length} bytes compressed); at most {MaxStoredBytes} bytes fit in one table entity.");
        }

        var chunks = (compressed.Length + ChunkBytes - 1) / ChunkBytes;
        entity[name + "Encoding"] = "gzip";
        entity[name + "Chunks"] = chunks;
        for (var i = 0; i < chunks; i++)
        {
            var start = i * ChunkBytes;
            entity[ChunkName(name, i)] = compressed.AsSpan(start, Math.Min(ChunkBytes, compressed.Length - start)).ToArray();
        }
    }

    public static string? Read(TableEntity entity, string name)
    {
        if (entity.TryGetValue(name, out var inline) && inline is string text)
        {
            return text;
        }

        var chunks = entity.GetInt32(name + "Chunks");
        if (chunks is null)
        {
            return null;
        }

        using var compressed = new MemoryStream();
        for (var i = 0; i < chunks.Value; i++)
        {
            var part = entity.GetBinary(ChunkName(name, i))
                ?? throw new InvalidDataException($"Entity {entity.PartitionKey}/{entity.RowKey} is missing chunk {i} of {name}.");
            compressed.Write(part);
        }

        compressed.Position = 0;
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Removes <paramref name="name"/> in either form (inline string or gzip chunks) from the entity.</summary>
    public static void Remove(TableEntity entity, string name)
    {
        var chunks = entity.GetInt32(name + "Chunks") ?? 0;
        for (var i = 0; i < chunks; i++)
        {
            entity.Remove(ChunkName(name, i));
        }

        entity.Remove(name);
        entity.Remove(name + "Encoding");
        entity.Remove(name + "Chunks");
    }

    private static string ChunkName(string name, int index) => $"{name}{index:D2}";

    private static byte[] Compress(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}
