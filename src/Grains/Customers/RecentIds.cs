namespace Orleans.Webhooks.Grains.Customers;

/// <summary>
/// The newest <see cref="Limit"/> ids by the newest event time that named each (ties by id, so the same ids are kept in
/// any order of arrival).
/// </summary>
public static class RecentIds
{
    public const int Limit = 100;

    /// <summary>Adds or refreshes the id and drops the oldest beyond the limit; true when the id was not kept before.</summary>
    public static bool Add(Dictionary<string, DateTimeOffset> recent, string id, DateTimeOffset at)
    {
        var added = !recent.TryGetValue(id, out var known);
        if (added || at > known)
        {
            recent[id] = at;
        }
        while (recent.Count > Limit)
        {
            var oldest = recent.MinBy(r => (r.Value, r.Key), Oldest.Instance).Key;
            recent.Remove(oldest);
        }
        return added;
    }

    public static IReadOnlyList<string> InIdOrder(Dictionary<string, DateTimeOffset> recent) => [.. recent.Keys.Order(StringComparer.Ordinal)];

    private sealed class Oldest : IComparer<(DateTimeOffset At, string Id)>
    {
        public static readonly Oldest Instance = new();

        public int Compare((DateTimeOffset At, string Id) x, (DateTimeOffset At, string Id) y)
        {
            var byTime = x.At.CompareTo(y.At);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}
