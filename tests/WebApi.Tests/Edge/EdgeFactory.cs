using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Webhooks.WebApi.Ingestion;
using Orleans.Webhooks.WebApi.Rejections;

namespace Orleans.Webhooks.WebApi.Tests.Edge;

/// <summary>
/// The web API in memory (<see cref="WebApplicationFactory{Program}"/>) with <see cref="FakeGrains"/> for the cluster:
/// no silo, no PostgreSQL, no port. The Orleans client and the web API's own background work on PostgreSQL (the change
/// feed's LISTEN, the audit's writer) do not start; refused deliveries stay in <see cref="RejectionAudit"/>, where
/// <see cref="DrainRejections"/> reads them.
/// </summary>
public sealed class EdgeFactory : WebApplicationFactory<Program>
{
    public const string Secret = "edge-test-secret";
    public const int MaxBodyBytes = 256;

    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Webhooks:Providers:hmac:Secrets:0"] = Secret,
        ["Webhooks:Providers:hmac:MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Webhooks:RateLimit:PermitsPerSecond"] = "0",
        // Nothing listens here: a test that reached PostgreSQL after all would fail rather than pass by chance.
        ["ConnectionStrings:Webhooks"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=1",
    };

    private readonly TimeSpan _rateLimitWindow;

    public EdgeFactory() : this(null, WebhookRateLimits.DefaultWindow)
    {
    }

    internal EdgeFactory(IReadOnlyDictionary<string, string?>? settings, TimeSpan rateLimitWindow)
    {
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        _rateLimitWindow = rateLimitWindow;
    }

    public FakeGrains Grains { get; } = new();

    public IReadOnlyList<Rejection> DrainRejections() => Services.GetRequiredService<RejectionAudit>().Drain().Rows;

    /// <summary>A delivery to <c>/webhook/{provider}</c>, signed for the hmac scheme with <see cref="Secret"/> unless a signature is given.</summary>
    public static HttpRequestMessage Delivery(string body, string provider = "hmac", string contentType = "application/json", string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhook/{provider}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Webhook-Signature", signature ?? Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), bytes)));
        return request;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Not Development: that would add checks of its own (scope validation) that the real app does not run with.
        builder.UseEnvironment(Environments.Production);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureTestServices(services =>
        {
            foreach (var background in services.Where(IsOrleansOrOurs).ToList())
            {
                services.Remove(background);
            }
            services.AddSingleton<IGrainFactory>(Grains);
            services.AddSingleton(new RateLimitWindow(_rateLimitWindow));
        });
    }

    /// <summary>A hosted service of Orleans (the client that connects to the cluster) or of the web API (its work on PostgreSQL).</summary>
    private static bool IsOrleansOrOurs(ServiceDescriptor descriptor)
    {
        if (descriptor.ServiceType != typeof(IHostedService) || descriptor.IsKeyedService)
        {
            return false;
        }
        var type = descriptor.ImplementationType ?? descriptor.ImplementationInstance?.GetType() ?? descriptor.ImplementationFactory?.Method.DeclaringType;
        return type?.Assembly.GetName().Name?.StartsWith("Orleans", StringComparison.Ordinal) == true;
    }
}
