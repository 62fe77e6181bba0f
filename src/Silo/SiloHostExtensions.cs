using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Orleans.Webhooks.Silo;

public static class SiloHostExtensions
{
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
