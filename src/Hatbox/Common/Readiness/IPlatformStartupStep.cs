namespace Hatbox.Common.Readiness;

/// <summary>
/// Work that must run once the platform store is there and before the first request is admitted
/// (the usage journal's replay, the version announcements). Steps run in registration order, after
/// the migration; a step that fails (the store went away again) runs again on the next attempt, so
/// each must be safe to repeat until it has succeeded once.
/// </summary>
internal interface IPlatformStartupStep
{
    Task RunAsync(CancellationToken cancellationToken);
}
