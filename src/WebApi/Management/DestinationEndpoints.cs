using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.Interfaces.Destinations;
using Orleans.Webhooks.WebApi.Ingestion;

namespace Orleans.Webhooks.WebApi.Management;

/// <summary>
/// <c>/api/destinations</c>: each push destination's state, cursor, lag, parked changes and recent attempts; pause,
/// resume and rewind; retry or skip of a parked change. A destination exists when <c>Webhooks:Destinations:&lt;name&gt;</c> configures it (else 404); its sender, a
/// grain, answers the rest. Never shows a secret, nor the URL's user information or query.
/// </summary>
public static class DestinationEndpoints
{
    /// <summary>The destinations' settings, validated when the web API starts as when a silo does.</summary>
    public static IHostApplicationBuilder AddWebhookDestinations(this IHostApplicationBuilder builder)
    {
        // A silo checks the same settings with the same validator.
        var section = builder.Configuration.GetSection(DestinationsOptions.SectionName);
        builder.Services.AddOptions<DestinationsOptions>().Configure(options => section.Bind(options.Destinations)).ValidateOnStart();
        // Secrets read through IOptionsMonitor rotate with the configuration, without a restart.
        builder.Services.AddSingleton<IOptionsChangeTokenSource<DestinationsOptions>>(new ConfigurationChangeTokenSource<DestinationsOptions>(section));
        builder.Services.AddSingleton<IValidateOptions<DestinationsOptions>, DestinationsOptionsValidator>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDestinationApi(this IEndpointRouteBuilder app)
    {
        // The same access rule and 503 answer as the rest of /api.
        var api = app.MapGroup("/api/destinations").AddEndpointFilter<ManagementAccessFilter>().AddEndpointFilter<ManagementUnavailableFilter>();
        api.MapGet("", ListAsync);
        api.MapGet("/{name}/deliveries", DeliveriesAsync);
        api.MapPost("/{name}/pause", (string name, IOptionsMonitor<DestinationsOptions> options, IGrainFactory grains) =>
            CommandAsync(name, options, grains, grain => grain.PauseAsync()));
        api.MapPost("/{name}/resume", (string name, IOptionsMonitor<DestinationsOptions> options, IGrainFactory grains) =>
            CommandAsync(name, options, grains, grain => grain.ResumeAsync()));
        api.MapPost("/{name}/rewind", RewindAsync);
        api.MapGet("/{name}/parked", ParkedAsync);
        api.MapPost("/{name}/parked/{changeId}/retry", (string name, string changeId, IOptionsMonitor<DestinationsOptions> options, IGrainFactory grains) =>
            SettleParkedAsync(name, changeId, "retrying", options, grains, (grain, id) => grain.RetryParkedAsync(id)));
        api.MapPost("/{name}/parked/{changeId}/skip", (string name, string changeId, IOptionsMonitor<DestinationsOptions> options, IGrainFactory grains) =>
            SettleParkedAsync(name, changeId, "skipped", options, grains, (grain, id) => grain.SkipParkedAsync(id)));
        return app;
    }

    private static async Task<IResult> ListAsync(IOptionsMonitor<DestinationsOptions> options, IGrainFactory grains)
    {
        var destinations = options.CurrentValue.Destinations.OrderBy(d => d.Key, StringComparer.OrdinalIgnoreCase).ToList();
        var statuses = await Task.WhenAll(destinations.Select(d => grains.GetGrain<IDestinationGrain>(DestinationsOptions.Normalise(d.Key)).GetStatusAsync()));
        return Results.Ok(destinations.Zip(statuses, (destination, status) => new
        {
            name = DestinationsOptions.Normalise(destination.Key),
            url = destination.Value.DisplayUrl,
            state = status.State,
            cursor = status.Cursor.ToString(CultureInfo.InvariantCulture),
            lagChanges = status.LagChanges,
            lagSeconds = Math.Round(status.LagSeconds, 3),
            parked = status.Parked,
            lastError = status.LastError,
        }));
    }

    private static async Task<IResult> ParkedAsync(string name, int? limit, IOptionsMonitor<DestinationsOptions> options, IGrainFactory grains)
    {
        if (Grain(name, options, grains) is not { } grain)
        {
            return UnknownDestination();
        }
        if (limit is < 1 or > ManagementEndpoints.MaxListLimit)
        {
            return Problems.BadRequest($"limit must be between 1 and {ManagementEndpoints.MaxListLimit}.");
        }
        return Results.Ok(await grain.GetParkedAsync(limit ?? ManagementEndpoints.DefaultListLimit));
    }

    private static async Task<IResult> SettleParkedAsync(
        string name, string changeId, string outcome, IOptionsMonitor<DestinationsOptions> options, IGrainFactory grains, Func<IDestinationGrain, long, Task<bool>> settle)
    {
        if (Grain(name, options, grains) is not { } grain)
        {
            return UnknownDestination();
        }
        if (!long.TryParse(changeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !await settle(grain, id))
        {
            return Problems.NotFound("No such change is parked for this destination.");
        }
        return Results.Accepted(value: new { status = outcome, name = DestinationsOptions.Normalise(name), changeId });
    }

    private static async Task<IResult> DeliveriesAsync(string name, int? limit, IOptionsMonitor<DestinationsOptions> options, IGrainFactory grains)
    {
        if (Grain(name, options, grains) is not { } grain)
        {
            return UnknownDestination();
        }
        if (limit is < 1 or > ManagementEndpoints.MaxListLimit)
        {
            return Problems.BadRequest($"limit must be between 1 and {ManagementEndpoints.MaxListLimit}.");
        }
        return Results.Ok(await grain.GetDeliveriesAsync(limit ?? ManagementEndpoints.DefaultListLimit));
    }

    private static async Task<IResult> RewindAsync(string name, string? to, IOptionsMonitor<DestinationsOptions> options, IGrainFactory grains)
    {
        if (Grain(name, options, grains) is not { } grain)
        {
            return UnknownDestination();
        }
        if (!long.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
        {
            return Problems.BadRequest("to must be a cursor: a change number, 0 for the start.");
        }
        var current = (await grain.GetStatusAsync()).Cursor;
        if (cursor > current)
        {
            return Problems.BadRequest($"rewind moves the cursor back: to must be at most the current cursor, {current}.");
        }
        await grain.RewindAsync(cursor);
        return Results.Accepted(value: new { status = "rewound", name = DestinationsOptions.Normalise(name), cursor = to });
    }

    private static async Task<IResult> CommandAsync(string name, IOptionsMonitor<DestinationsOptions> options, IGrainFactory grains, Func<IDestinationGrain, Task> command)
    {
        if (Grain(name, options, grains) is not { } grain)
        {
            return UnknownDestination();
        }
        await command(grain);
        var status = await grain.GetStatusAsync();
        return Results.Accepted(value: new { name = DestinationsOptions.Normalise(name), state = status.State, cursor = status.Cursor.ToString(CultureInfo.InvariantCulture) });
    }

    private static IDestinationGrain? Grain(string name, IOptionsMonitor<DestinationsOptions> options, IGrainFactory grains) =>
        options.CurrentValue.Find(name) is null ? null : grains.GetGrain<IDestinationGrain>(DestinationsOptions.Normalise(name));

    private static IResult UnknownDestination() => Problems.NotFound("No such destination is configured.");
}
