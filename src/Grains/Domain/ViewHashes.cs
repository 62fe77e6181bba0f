using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Orleans.Webhooks.Grains.Domain;

/// <summary>
/// What a domain state keeps of its view to tell whether an application changed it: 128 bits of XxHash over the view's
/// JSON text (its UTF-16 code units, so no encoding pass), as hex. Not a security boundary: a collision would only
/// leave one change out of the log, and at 128 bits that does not happen by accident.
/// </summary>
internal static class ViewHashes
{
    public static string? Of(string? viewJson) =>
        viewJson is null ? null : Convert.ToHexString(XxHash128.Hash(MemoryMarshal.AsBytes(viewJson.AsSpan())));
}
