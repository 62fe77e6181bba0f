namespace Orleans.Webhooks.Testing;

/// <summary>
/// Ports of the tests' own processes, shifted by WEBHOOKS_TEST_PORT_OFFSET so that two checkouts can run their suites on
/// one machine at once (with WEBHOOKS_TEST_DB_SUFFIX keeping their databases apart too).
/// </summary>
public static class TestPorts
{
    private static readonly int Offset = int.TryParse(Environment.GetEnvironmentVariable("WEBHOOKS_TEST_PORT_OFFSET"), out var offset) ? offset : 0;

    public static int Of(int port) => port + Offset;
}
