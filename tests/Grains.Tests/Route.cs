using Orleans.Runtime;

namespace Orleans.Webhooks.Grains.Tests;

/// <summary>A router that dispatched an event: its stream partition and its silo.</summary>
public sealed record Route(string Partition, SiloAddress Silo);
