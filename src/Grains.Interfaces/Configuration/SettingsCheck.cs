using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Orleans.Webhooks.Grains.Interfaces.Configuration;

/// <summary>
/// Checks every setting of a process once its host is built and before anything starts: the validations the host
/// would run at its start (options added with <c>ValidateOnStart</c>), run at once. Both the silo and the web API stop
/// the same way on a bad setting: one line per problem on stderr, naming the key and never a value that may be a
/// secret, and <see cref="ExitCode"/>. Nothing has been started by then, so there is nothing to stop.
/// </summary>
public static partial class SettingsCheck
{
    /// <summary>EX_CONFIG of sysexits.h: the systemd units do not restart a program that stops with it.</summary>
    public const int ExitCode = 78;

    /// <summary>Every problem with the settings, one line each; empty when there is none.</summary>
    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        try
        {
            (services.GetService(typeof(IStartupValidator)) as IStartupValidator)?.Validate();
            return [];
        }
        catch (Exception ex) when (Lines(ex) is { } lines)
        {
            return lines;
        }
    }

    /// <summary>Writes each problem to <paramref name="error"/> and answers whether there was none.</summary>
    public static bool Passes(IServiceProvider services, TextWriter error)
    {
        var problems = Problems(services);
        foreach (var problem in problems)
        {
            error.WriteLine(problem);
        }
        return problems.Count == 0;
    }

    /// <summary>
    /// The lines of a failed check, or null for an exception that is not about the settings (it then goes on as it is).
    /// The validators' messages name the key. The configuration binder stops at the first value it cannot convert (a
    /// port that is not a number), and its message quotes the value: that line is written again from the key and the type.
    /// </summary>
    private static List<string>? Lines(Exception ex)
    {
        switch (ex)
        {
            case OptionsValidationException validation:
                return validation.Failures.Select(OneLine).ToList();
            case AggregateException aggregate:
                var lines = new List<string>();
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Lines(inner) is not { } innerLines)
                    {
                        return null;
                    }
                    lines.AddRange(innerLines);
                }
                return lines;
            case InvalidOperationException binding when UnconvertibleValue().Match(binding.Message) is { Success: true } match:
                return [$"{match.Groups["key"].Value}: is not a valid {match.Groups["type"].Value}."];
            default:
                return null;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    [GeneratedRegex(@"^Failed to convert configuration value (?:'.*' )?at '(?<key>[^']+)' to type '(?:\w+\.)*(?<type>\w+)'")]
    private static partial Regex UnconvertibleValue();
}
