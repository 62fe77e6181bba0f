using Microsoft.Extensions.Configuration;
using Npgsql;
using Orleans.Webhooks.Grains.Interfaces.Configuration;

namespace Orleans.Webhooks.Grains.Tests.Hosting;

public sealed class WebhooksConfigurationTests
{
    [Theory]
    [InlineData("Host=127.0.0.1;Port=5432;Database=webhooks;Username=webhooks;Password=secret")]
    [InlineData("Host=localhost;Database=webhooks;Username=webhooks")]
    [InlineData("Server=127.0.0.2:5433;Database=webhooks;Username=webhooks")]
    [InlineData("Host=[::1]:5432,127.0.0.1;Database=webhooks;Username=webhooks")]
    [InlineData("Host=::1;Database=webhooks;Username=webhooks")]
    public void A_database_on_this_host_is_reached_without_tls(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(WebhooksConfiguration.WithoutTlsOnLoopback(connectionString));

        Assert.Equal(SslMode.Disable, settings.SslMode);
        Assert.Equal(new NpgsqlConnectionStringBuilder(connectionString).Host, settings.Host);
    }

    [Theory]
    [InlineData("Host=db.internal;Database=webhooks;Username=webhooks")]
    [InlineData("Host=10.0.0.5;Database=webhooks;Username=webhooks")]
    [InlineData("Host=127.0.0.1,db.internal;Database=webhooks;Username=webhooks")]
    [InlineData("Host=/var/run/postgresql;Database=webhooks;Username=webhooks")]
    [InlineData("Host=127.0.0.1;SSL Mode=Require;Database=webhooks")]
    [InlineData("Host=localhost;sslmode=VerifyFull;Database=webhooks")]
    [InlineData("Host=127.0.0.1;Database=\"unterminated")]
    public void A_remote_database_an_explicit_ssl_mode_or_an_unreadable_string_is_left_as_it_is(string connectionString) =>
        Assert.Equal(connectionString, WebhooksConfiguration.WithoutTlsOnLoopback(connectionString));

    [Fact]
    public void The_default_connection_string_is_on_loopback_without_tls()
    {
        var configuration = new ConfigurationBuilder().Build();

        var settings = new NpgsqlConnectionStringBuilder(configuration.WebhooksConnectionString());

        Assert.Equal(("127.0.0.1", "webhooks", SslMode.Disable), (settings.Host, settings.Database, settings.SslMode));
    }
}
