using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Npgsql;
using Orleans.Webhooks.EndToEnd.Tests.Providers;
using Orleans.Webhooks.Testing;
using Xunit.Abstractions;

namespace Orleans.Webhooks.EndToEnd.Tests.Fuzz;

/// <summary>
/// Fuzzed, validly signed deliveries for every scheme, sent concurrently to the real web API and silo on PostgreSQL: no
/// answer is a 5xx, every accepted event ends processed, ignored or failed, every stored body reads back byte for byte,
/// and the service stays ready throughout. WEBHOOKS_FUZZ_DELIVERIES sets how many (default 1,000; 100,000 for a long
/// run), WEBHOOKS_FUZZ_SEED which ones (the seed is printed, so that a failing run can be made again).
/// </summary>
public sealed class DeliveryFuzzTests(ITestOutputHelper output)
{
    private const int DefaultDeliveries = 1_000;
    private const int DefaultSeed = 21;
    private const int Concurrency = 32;

    /// <summary>What a validly signed delivery may get: stored (or a repeat), or refused for what it holds.</summary>
    private static readonly int[] Expected = [200, 400, 422];

    [Fact]
    public async Task FuzzedSignedDeliveries_NoServerError_EveryAcceptedEventFinishes_BodiesStoredByteForByte_ServiceStaysReady()
    {
        var deliveries = Setting("WEBHOOKS_FUZZ_DELIVERIES", DefaultDeliveries);
        var seed = Setting("WEBHOOKS_FUZZ_SEED", DefaultSeed);
        using var payPalKey = RSA.Create(2048);
        var certificatePath = Path.Combine(Path.GetTempPath(), $"webhooks-fuzz-paypal-{Guid.NewGuid():N}.pem");
        using (var certificate = new CertificateRequest("CN=messageverificationcerts.paypal.com", payPalKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)))
        {
            await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        }
        var secrets = new FuzzSecrets("whsec_fuzz_stripe", "fuzz-github", "fuzz-shopify", "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
            payPalKey, "fuzz-mailchimp", Service.HmacSecret);
        try
        {
            await using var service = await Service.StartAsync("webhooks_test_fuzz", 6650, environment: new Dictionary<string, string>
            {
                ["Webhooks__Providers__stripe__Secrets__0"] = secrets.Stripe,
                ["Webhooks__Providers__github__Secrets__0"] = secrets.GitHub,
                ["Webhooks__Providers__shopify__Secrets__0"] = secrets.Shopify,
                ["Webhooks__Providers__standard-webhooks__Secrets__0"] = secrets.StandardWebhooks,
                ["Webhooks__Providers__paypal__WebhookId"] = ProviderFixture.PayPalWebhookId,
                ["Webhooks__Providers__paypal__CertificatePath"] = certificatePath,
                ["Webhooks__Providers__mailchimp__Secrets__0"] = secrets.Mailchimp,
            });
            await FuzzAsync(service, new DeliveryFuzzer(seed, secrets), deliveries, seed);
        }
        finally
        {
            File.Delete(certificatePath);
        }
    }

    private async Task FuzzAsync(Service service, DeliveryFuzzer fuzzer, int deliveries, int seed)
    {
        var statuses = new ConcurrentDictionary<(string Provider, int Status), int>();
        var stored = new ConcurrentDictionary<string, int>(StringComparer.Ordinal); // "provider:externalId" → the delivery stored
        var serverErrors = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var readiness = WatchReadinessAsync(service, stop.Token);
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, deliveries), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (index, cancellationToken) =>
        {
            var delivery = fuzzer.Make(index);
            using var request = delivery.Request();
            using var response = await service.Http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate((delivery.Provider, status), 1, (_, n) => n + 1);
            if (status >= 500)
            {
                serverErrors.Enqueue($"#{index} {delivery.Provider}: {status} {text}");
            }
            else if (response.StatusCode == HttpStatusCode.OK && JsonDocument.Parse(text).RootElement is var answer
                     && answer.GetProperty("status").GetString() == "accepted")
            {
                var key = answer.GetProperty("id").GetString()!;
                Assert.True(stored.TryAdd(key, index), $"{key} accepted twice");
            }
        });
        var sending = clock.Elapsed;
        var byCode = statuses.GroupBy(s => s.Key.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Sum(s => s.Value)}");
        output.WriteLine($"seed {seed}: {deliveries} deliveries sent in {sending.TotalSeconds:F1} s with {Concurrency} at once; {string.Join(", ", byCode)}; {stored.Count} events stored");
        foreach (var group in statuses.GroupBy(s => s.Key.Provider).OrderBy(g => g.Key))
        {
            output.WriteLine($"  {group.Key}: {string.Join(", ", group.OrderBy(s => s.Key.Status).Select(s => $"{s.Key.Status}: {s.Value}"))}");
        }

        Assert.True(serverErrors.IsEmpty, $"{serverErrors.Count} answers were 5xx, e.g.:\n{string.Join('\n', serverErrors.Take(5))}\n{service.Logs}");
        Assert.All(statuses.Keys, s => Assert.Contains(s.Status, Expected));
        // The fuzzer must reach storage and processing for every scheme, not only the 400 of a body that cannot be read.
        Assert.All(DeliveryFuzzer.Providers, provider => Assert.True(stored.Keys.Count(k => k.StartsWith(provider + ":", StringComparison.Ordinal)) >= deliveries / 50,
            $"{provider}: too few deliveries stored to say anything"));

        var waiting = await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(service.ConnectionString, "SELECT count(*) FROM webhook_events WHERE state = 'received'"),
            count => count == 0, TimeSpan.FromSeconds(60 + (deliveries / 200)), "every accepted event processed, ignored or failed");
        output.WriteLine($"all stored events finished {clock.Elapsed.TotalSeconds:F1} s after the first delivery");
        Assert.Equal(0, waiting);
        await AssertStoredByteForByteAsync(service, fuzzer, stored);

        await stop.CancelAsync();
        var notReady = await readiness;
        Assert.True(notReady.Count == 0, $"/health/ready failed {notReady.Count} times, e.g. {string.Join("; ", notReady.Take(3))}");
        using var ready = await service.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.All(service.Processes, process => Assert.False(process.HasExited));
    }

    /// <summary>Every stored row is an accepted delivery, its payload the body that delivery sent (made again from its seed).</summary>
    private static async Task AssertStoredByteForByteAsync(Service service, DeliveryFuzzer fuzzer, ConcurrentDictionary<string, int> stored)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT provider, external_id, payload FROM webhook_events", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            var key = $"{reader.GetString(0)}:{reader.GetString(1)}";
            Assert.True(stored.TryGetValue(key, out var index), $"{key} is stored but no delivery of it was answered 'accepted'");
            var body = fuzzer.Make(index).Body;
            var payload = reader.GetFieldValue<byte[]>(2);
            Assert.True(body.AsSpan().SequenceEqual(payload), $"{key}: the stored payload ({payload.Length} bytes) differs from the body sent ({body.Length} bytes)");
        }
        Assert.Equal(stored.Count, rows);
    }

    /// <summary>Asks /health/ready every second until stopped; returns the answers that were not 200.</summary>
    private static async Task<List<string>> WatchReadinessAsync(Service service, CancellationToken stop)
    {
        var failures = new List<string>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    using var response = await service.Http.GetAsync("/health/ready", stop);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Add($"{DateTime.UtcNow:O} {(int)response.StatusCode}");
                    }
                }
                catch (HttpRequestException ex)
                {
                    failures.Add($"{DateTime.UtcNow:O} {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        return failures;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
