using Orleans.Webhooks.Grains.Retention;

namespace Orleans.Webhooks.Grains.Domain;

/// <summary>
/// What every payment, order and customer activation needs from its silo, resolved once and injected into each: the
/// clock, how long applied event keys are kept (<see cref="RetentionOptions.Events"/>), and the sweep that lets quiet
/// activations go.
/// </summary>
internal sealed record DomainServices(TimeProvider Time, RetentionOptions Retention, QuietActivations Quiet);
