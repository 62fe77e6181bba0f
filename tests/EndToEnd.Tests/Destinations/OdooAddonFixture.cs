using System.Globalization;
using System.Net;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Destinations;

/// <summary>
/// The real product pushing to four receivers built on the Odoo addon's pure module (hmac and standard-webhooks, one
/// change per POST and batches of 100), through a story an ERP lives through:
/// <list type="number">
/// <item>while the destinations are paused, signed webhooks make payments, orders and customers, then refunds of ten
/// payments;</item>
/// <item>each receiver fetches the newest changes (the refunds) from GET /api/changes, as "Fetch missed changes" does, so
/// it holds newer views of those objects than the push will bring first;</item>
/// <item>the destinations resume: the push brings each of those objects' older changes (out of order for the receiver)
/// and the fetched ones again (repeats); more webhooks follow while they are active;</item>
/// <item>every destination is rewound 15 changes, so the product sends them again.</item>
/// </list>
/// </summary>
public sealed class OdooAddonFixture : IAsyncLifetime
{
    public const string HmacSecret = "odoo-hmac-secret";

    public static readonly string StandardSecret = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    /// <summary>The destinations: name, format, changes per POST.</summary>
    public static readonly IReadOnlyList<(string Name, string Format, int Batch)> Destinations =
    [
        ("odoohmac", "hmac", 1),
        ("odoostandard", "standard-webhooks", 1),
        ("odoohmacbatch", "hmac", 100),
        ("odoostandardbatch", "standard-webhooks", 100),
    ];

    private const int Rewind = 15;

    private readonly Dictionary<string, OdooReceiverProcess> _receivers = [];
    private readonly Dictionary<string, JsonElement> _fetched = [];
    private int _sent;

    public Service Service { get; private set; } = null!;

    public IReadOnlyDictionary<string, OdooReceiverProcess> Receivers => _receivers;

    /// <summary>Per destination, what the fetch of the newest changes answered.</summary>
    public IReadOnlyDictionary<string, JsonElement> Fetched => _fetched;

    /// <summary>The changes the receivers fetched before the push sent anything: after <c>FetchedAfter</c> up to <c>FetchedUpTo</c>.</summary>
    public long FetchedAfter { get; private set; }

    public long FetchedUpTo { get; private set; }

    /// <summary>Every change after this one was sent again after a rewind.</summary>
    public long RewoundTo { get; private set; }

    /// <summary>Every change in the product's log at the end.</summary>
    public IReadOnlyList<long> ChangeIds { get; private set; } = [];

    public async Task InitializeAsync()
    {
        foreach (var (name, _, _) in Destinations)
        {
            // Several secrets, as during a rotation: the product signs with one of them.
            _receivers[name] = await OdooReceiverProcess.StartAsync(["retired-odoo-secret", HmacSecret, StandardSecret]);
        }
        var environment = new Dictionary<string, string> { ["Logging__LogLevel__Orleans.Webhooks.Grains.Destinations"] = "Information" };
        foreach (var (name, format, batch) in Destinations)
        {
            environment[$"Webhooks__Destinations__{name}__Url"] = _receivers[name].Url;
            environment[$"Webhooks__Destinations__{name}__Secrets__0"] = format == "hmac" ? HmacSecret : StandardSecret;
            environment[$"Webhooks__Destinations__{name}__Format"] = format;
            environment[$"Webhooks__Destinations__{name}__Batch"] = batch.ToString(CultureInfo.InvariantCulture);
            environment[$"Webhooks__Destinations__{name}__InitialBackoff"] = "00:00:00.200";
            environment[$"Webhooks__Destinations__{name}__MaxBackoff"] = "00:00:01";
        }
        Service = await Service.StartAsync("webhooks_test_odoo_addon", 8650, environment: environment);

        await ForEachDestinationAsync("pause");
        await SendAsync(Enumerable.Range(0, 30).Select(Payment).Concat(Enumerable.Range(0, 8).Select(Customer)));
        FetchedAfter = await NewestChangeAsync();
        await SendAsync(Enumerable.Range(0, 10).Select(Refund));
        FetchedUpTo = await NewestChangeAsync();
        foreach (var (name, receiver) in _receivers)
        {
            _fetched[name] = await receiver.FetchAsync(Service.BaseAddress, FetchedAfter);
        }

        await ForEachDestinationAsync("resume");
        await SendAsync(Enumerable.Range(30, 10).Select(Payment).Concat(Enumerable.Range(20, 5).Select(Refund)).Concat(Enumerable.Range(8, 4).Select(Customer)));
        var newest = await NewestChangeAsync();
        await WaitForCursorsAsync(newest, "every change delivered");

        RewoundTo = newest - Rewind;
        await ForEachDestinationAsync("pause");
        await ForEachDestinationAsync($"rewind?to={RewoundTo.ToString(CultureInfo.InvariantCulture)}");
        await ForEachDestinationAsync("resume");
        foreach (var (name, receiver) in _receivers)
        {
            await Eventually.MatchesAsync(receiver.StateAsync, state => Enumerable.Range(1, Rewind).All(i => Received(state, RewoundTo + i) >= 2),
                TimeSpan.FromSeconds(120), $"{name}: the {Rewind} rewound changes sent again");
        }
        await WaitForCursorsAsync(newest, "every change delivered after the rewind");
        ChangeIds = await ChangeIdsAsync();
    }

    /// <summary>How many POSTs answered 200 carried change <paramref name="id"/>.</summary>
    public static int Received(JsonElement state, long id) =>
        state.GetProperty("posts").EnumerateArray()
            .Where(p => p.GetProperty("status").GetInt32() == 200)
            .Count(p => p.GetProperty("ids").EnumerateArray().Any(i => i.GetInt64() == id));

    private static string Payment(int i) => Event($"evt-pay-{i}", "payment.completed",
        new() { ["id"] = $"pay-{i}", ["amount"] = 1000 + i, ["currency"] = "usd", ["customer"] = $"cus-{i % 6}", ["order"] = $"ord-{i % 10}" });

    private static string Refund(int i) => Event($"evt-ref-{i}", "refund.processed",
        new() { ["id"] = $"re-{i}", ["amount"] = 100 + i, ["currency"] = "usd", ["payment"] = $"pay-{i}", ["order"] = $"ord-{i % 10}" });

    private static string Customer(int i) => Event($"evt-cus-{i}", "customer.updated",
        new() { ["id"] = $"cus-{i % 6}", ["email"] = $"c{i}@example.com", ["name"] = $"Customer {i}" });

    private static string Event(string id, string type, Dictionary<string, object> data) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["id"] = id, ["type"] = type, ["data"] = data });

    /// <summary>Sends signed webhooks one after the other and waits until every event sent so far is processed.</summary>
    private async Task SendAsync(IEnumerable<string> events)
    {
        foreach (var body in events)
        {
            using var response = await Service.Http.SendAsync(Signing.Hmac(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            _sent++;
        }
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(Service.ConnectionString, "SELECT count(*) FROM webhook_events WHERE state = 'processed'"),
            processed => processed == _sent, TimeSpan.FromSeconds(120), $"{_sent} events processed");
    }

    private async Task ForEachDestinationAsync(string command)
    {
        foreach (var (name, _, _) in Destinations)
        {
            using var response = await Service.Http.PostAsync($"/api/destinations/{name}/{command}", null);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    private async Task WaitForCursorsAsync(long newest, string because) =>
        await Eventually.MatchesAsync(() => Service.GetJsonAsync("/api/destinations"),
            list => list is { } found && found.EnumerateArray().Count(d => d.GetProperty("cursor").GetString() == newest.ToString(CultureInfo.InvariantCulture)) == Destinations.Count,
            TimeSpan.FromSeconds(120), because);

    private Task<long> NewestChangeAsync() =>
        TestDatabase.ScalarAsync<long>(Service.ConnectionString, "SELECT COALESCE(max(seq), 0) FROM changes");

    private async Task<IReadOnlyList<long>> ChangeIdsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT seq FROM changes ORDER BY seq", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    public async Task DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }
        foreach (var receiver in _receivers.Values)
        {
            await receiver.DisposeAsync();
        }
    }
}
