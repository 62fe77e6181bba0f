namespace Orleans.Webhooks.Testing;

/// <summary>Polls until a condition holds (processing is asynchronous), failing with the last observed value.</summary>
public static class Eventually
{
    public static async Task<T> MatchesAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        T last;
        while (true)
        {
            last = await read();
            if (condition(last))
            {
                return last;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Condition not met within the timeout{(because is null ? "" : $" ({because})")}; last value: {last}");
            }
            await Task.Delay(100);
        }
    }
}
