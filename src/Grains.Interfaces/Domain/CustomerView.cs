namespace Orleans.Webhooks.Grains.Interfaces.Domain;

[GenerateSerializer, Immutable, Alias("webhooks.CustomerView")]
public sealed record CustomerView
{
    [Id(0)] public required string Provider { get; init; }
    [Id(1)] public required string Id { get; init; }
    [Id(2)] public string? Email { get; init; }
    [Id(3)] public string? Name { get; init; }
    [Id(4)] public DateTimeOffset UpdatedAt { get; init; }
}
