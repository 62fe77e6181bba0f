using System.Net;
using System.Net.Sockets;

namespace Orleans.Webhooks.EndToEnd.Tests.Infrastructure;

/// <summary>
/// HTTP clients that connect from a chosen loopback address (127.0.0.0/8 is all loopback on Linux), so that one test
/// machine plays direct callers, trusted proxies and untrusted ones.
/// </summary>
public static class Clients
{
    public static HttpClient From(string sourceAddress, Uri baseAddress)
    {
        var source = IPAddress.Parse(sourceAddress);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }
}
