using Npgsql;

namespace Orleans.Webhooks.Testing;

/// <summary>One fresh database (<see cref="TestDatabase"/>) for a test class, with a data source on it: an xunit class fixture.</summary>
public abstract class ClassDatabase(string name) : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = null!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateAsync(name);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync() => await DataSource.DisposeAsync();
}
