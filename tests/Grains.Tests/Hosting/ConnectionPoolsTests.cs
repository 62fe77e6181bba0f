using Npgsql;
using Orleans.Webhooks.Silo;

namespace Orleans.Webhooks.Grains.Tests.Hosting;

public sealed class ConnectionPoolsTests
{
    private const string Plain = "Host=127.0.0.1;Database=webhooks;Username=webhooks;Password=secret";

    [Fact]
    public void WithDefaults_AddsPoolCapPreparationAndNoReset()
    {
        var settings = new NpgsqlConnectionStringBuilder(ConnectionPools.WithDefaults(Plain, 7));

        Assert.Equal((7, ConnectionPools.MaxAutoPrepare, true), (settings.MaxPoolSize, settings.MaxAutoPrepare, settings.NoResetOnClose));
        Assert.Equal(("127.0.0.1", "webhooks", "secret"), (settings.Host, settings.Database, settings.Password));
    }

    [Theory]
    [InlineData("Maximum Pool Size=3;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("MaxPoolSize=3;MaxAutoPrepare=0;NoResetOnClose=false")]
    public void WithDefaults_KeepsWhatTheOperatorSet(string own)
    {
        var settings = new NpgsqlConnectionStringBuilder(ConnectionPools.WithDefaults($"{Plain};{own}", 7));

        Assert.Equal((3, 0, false), (settings.MaxPoolSize, settings.MaxAutoPrepare, settings.NoResetOnClose));
    }
}
