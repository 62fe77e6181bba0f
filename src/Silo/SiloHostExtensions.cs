using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Orleans.Webhooks.Silo;

public static class SiloHostExtensions
{
    /// <summary>
    /// How long a stopping silo may drain before the host gives up on it: longer than .NET's 30 s, since under load the
    /// calls in flight may wait out Orleans' 30 s response timeout, and shorter than the 60 s that the systemd unit and
    /// the compose file give it before SIGKILL.
    /// </summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(50);

    /// <summary>Gives a stopping silo <see cref="DrainTimeout"/> to drain.</summary>
    public static IHostApplicationBuilder AddWebhooksSiloShutdown(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = DrainTimeout);
        return builder;
    }

    /// <summary>
    /// Runs the silo until SIGTERM or Ctrl-C, then drains it (Orleans' graceful stop: no new activations, the calls in
    /// flight finish, the grains move, the silo leaves the membership table). A stop asked for while the silo is still
    /// starting is a stop too: Orleans then cancels its start with an exception, which ends the process with 0 here
    /// rather than as an unhandled exception (exit 134), which systemd, compose and run.sh would take for a crash.
    /// </summary>
    public static async Task RunWebhooksSiloAsync(this IHost host)
    {
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            await host.RunAsync();
        }
        catch (Exception ex) when (stopping.IsCancellationRequested && ex is OrleansLifecycleCanceledException or OperationCanceledException)
        {
            Console.Error.WriteLine("Stopped while starting.");
        }
    }
}
