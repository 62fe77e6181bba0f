using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Orleans.Webhooks.Grains.Interfaces.Configuration;

/// <summary>The data annotations of <see cref="OrleansOptions"/>, each failure naming its key (<c>Orleans:SiloPort</c>).</summary>
public sealed class OrleansOptionsValidator : IValidateOptions<OrleansOptions>
{
    public ValidateOptionsResult Validate(string? name, OrleansOptions options)
    {
        var failures = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), failures, validateAllProperties: true)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(failures.Select(failure => $"{OrleansOptions.SectionName}:{failure.MemberNames.FirstOrDefault()}: {failure.ErrorMessage}"));
    }
}
