using System.Diagnostics;
using System.Net;
using Orleans.Webhooks.Testing;
using Xunit.Abstractions;

namespace Orleans.Webhooks.EndToEnd.Tests;

/// <summary>
/// Every stop the product promises to survive, each on the same database as the run before it, as a real deployment
/// restarts. Each test ends with fresh events processed within seconds: with the recovery sweep's delay
/// (<c>RecoverAfter</c>) left at 30 s, only the stream path can do that, so a stream that cannot deliver after a restart
/// fails the test.
/// </summary>
public sealed class RestartTests(ITestOutputHelper output)
{
    /// <summary>How long fresh events may take to be processed after the last of them was accepted.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private const string UnreadableState = "Error reading grain state";

    [Fact]
    public async Task CleanStopAndStart_FreshEventsProcessedPromptly()
    {
        await using var service = await Service.StartAsync("webhooks_test_restart_clean", 5250);
        await SendAndProcessAsync(service, "before", 100);

        await service.Api.StopAsync();
        await service.Silo(0).StopAsync();
        service.StartSilo(0);
        service.StartApi();
        await service.WaitUntilReadyAsync();

        await SendAndProcessAsync(service, "after", 200);
        AssertNoUnreadableState(service);
    }

    [Fact]
    public async Task OnlySiloKilled_ThenStarted_FreshEventsProcessedPromptly()
    {
        await using var service = await Service.StartAsync("webhooks_test_restart_kill", 5300);
        await SendAndProcessAsync(service, "before", 200);

        await service.Silo(0).KillAsync();
        service.StartSilo(0);
        await service.WaitUntilReadyAsync();

        await SendAndProcessAsync(service, "after", 500);
        AssertNoUnreadableState(service);
    }

    [Fact]
    public async Task OneOfTwoSilosKilled_ThenStartedAgain_FreshEventsProcessedPromptly()
    {
        await using var service = await Service.StartAsync("webhooks_test_restart_two", 5350, silos: 2);
        await SendAndProcessAsync(service, "before", 200);

        await service.Silo(1).KillAsync();
        // The survivor keeps accepting (the provider retries what meets the dead silo) and processes everything.
        await SendAndProcessAsync(service, "during", 100, prompt: TimeSpan.FromSeconds(60));
        service.StartSilo(1);
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(service.ConnectionString,
                "SELECT count(*) FROM orleans_membership WHERE deployment_id = @c AND status = 3", ("c", service.ClusterId)),
            active => active == 2, TimeSpan.FromSeconds(60), "the restarted silo active beside the survivor");

        await SendAndProcessAsync(service, "after", 300);
        AssertNoUnreadableState(service);
    }

    [Fact]
    public async Task WebApiKilled_ThenStarted_FreshEventsProcessedPromptly()
    {
        await using var service = await Service.StartAsync("webhooks_test_restart_api", 5750);
        await SendAndProcessAsync(service, "before", 100);

        await service.Api.KillAsync();
        service.StartApi();
        await service.WaitUntilReadyAsync();

        await SendAndProcessAsync(service, "after", 200);
        AssertNoUnreadableState(service);
    }

    /// <summary>
    /// A database left by a crash (tests/EndToEnd.Tests/Fixtures/database-left-by-a-crash.sql): the stream pub/sub rows
    /// a kill -9 leaves in orleans_grain_state, a dead silo still 'active' in the membership table, events still
    /// 'received', and domain states in format 1 (<c>DomainState.Format1</c>). The build starts on it under the same
    /// cluster and service id, ten minutes after the crash, as the crashed silo restarted on its host and port (systemd
    /// or run.sh): it finds its own older generation still 'active' and declares it dead at once. (A silo at another address instead waits to
    /// reach every silo still marked active, until Orleans' MaxJoinAttemptTime, 5 minutes, evicts the dead one.)
    /// </summary>
    [Fact]
    public async Task DatabaseOfAnEarlierBuildAfterACrash_StartsReadsOldStateAndProcessesPromptly()
    {
        await using var service = await Service.StartAsync("webhooks_test_restart_upgrade", 5800, fixture: "tests/EndToEnd.Tests/Fixtures/database-left-by-a-crash.sql", fixtureAge: TimeSpan.FromMinutes(10),
            beforeStart: service => TestDatabase.ExecuteAsync(service.ConnectionString, """
                UPDATE orleans_membership SET port = @silo, proxy_port = @gateway, generation = 1
                WHERE deployment_id = 'webhooks' AND status = 3
                """, ("silo", service.SiloPort(0)), ("gateway", service.GatewayPort(0))),
            environment: new Dictionary<string, string>
            {
                ["Orleans__ClusterId"] = "webhooks",
                ["Orleans__ServiceId"] = "webhooks",
                ["Webhooks__Providers__hmac__Secrets__0"] = "fixture-secret",
            });

        // The 21 events stored but never processed before the crash are overdue: the sweep takes them at once.
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(service.ConnectionString, "SELECT count(*) FROM webhook_events WHERE state = 'received'"),
            left => left == 0, TimeSpan.FromSeconds(30), "the events the crash left received processed");
        // Format 1 state reads back, with the refund that was still pending applied on top.
        var payment = (await Eventually.MatchesAsync(() => service.GetJsonAsync("/api/payments/hmac/pay_1"), p => p is not null))!.Value;
        Assert.Equal((50.00m, 20.00m, "partially_refunded"),
            (payment.GetProperty("amount").GetDecimal(), payment.GetProperty("refundedAmount").GetDecimal(), payment.GetProperty("status").GetString()));
        var customer = (await service.GetJsonAsync("/api/customers/hmac/cus_1"))!.Value;
        Assert.Equal("ana@example.com", customer.GetProperty("email").GetString());
        var pending = (await service.GetJsonAsync("/api/payments/hmac/pay_pending_7"))!.Value;
        Assert.Equal(9.07m, pending.GetProperty("amount").GetDecimal());

        await SendAndProcessAsync(service, "after", 300, secret: "fixture-secret");
        AssertNoUnreadableState(service);
    }

    private static void AssertNoUnreadableState(Service service) =>
        Assert.DoesNotContain(service.Processes.SelectMany(p => p.Failures), failure => failure.Contains(UnreadableState, StringComparison.Ordinal));

    /// <summary>
    /// Sends <paramref name="count"/> new signed events as a provider does (16 at a time, each retried on 503 until it
    /// is accepted) and waits until all of them are processed, at most <paramref name="prompt"/> after the last 200.
    /// </summary>
    private async Task SendAndProcessAsync(Service service, string label, int count, TimeSpan? prompt = null, string secret = Service.HmacSecret)
    {
        var prefix = $"{label}_{Guid.NewGuid():N}_";
        using var gate = new SemaphoreSlim(16);
        var sending = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                await DeliverUntilAcceptedAsync(service, Signing.SeedEvent($"{prefix}{i}", "payment.completed", $"pay_{prefix}{i}", 100 + i, customer: $"cus_{prefix}{i}"), secret);
            }
            finally
            {
                gate.Release();
            }
        }));
        var accepted = sending.Elapsed;
        var lastAccepted = Stopwatch.StartNew();
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(service.ConnectionString,
                "SELECT count(*) FROM webhook_events WHERE external_id LIKE @p AND state = 'processed'", ("p", prefix + "%")),
            processed => processed == count, prompt ?? Prompt, $"{count} fresh events ({label}) processed");
        output.WriteLine($"{label}: {count} events accepted in {accepted.TotalSeconds:F1} s, all processed {lastAccepted.Elapsed.TotalSeconds:F2} s after the last 200");
    }

    private static async Task DeliverUntilAcceptedAsync(Service service, string body, string secret)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                using var response = await service.Http.SendAsync(Signing.Hmac(body, secret));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode); // the only refusal a retry may meet
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, "a delivery was not accepted within 90 s");
            await Task.Delay(200);
        }
    }
}
