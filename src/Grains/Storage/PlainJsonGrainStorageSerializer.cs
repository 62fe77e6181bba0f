using System.Text.Json;
using Orleans.Storage;

namespace Orleans.Webhooks.Grains.Storage;

/// <summary>
/// Grain state as plain JSON without .NET type names, so renaming a class or namespace never breaks stored rows and the
/// state stays readable with psql. Our state classes are concrete and sealed, so no type information is needed.
/// </summary>
public sealed class PlainJsonGrainStorageSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options)!;
}
