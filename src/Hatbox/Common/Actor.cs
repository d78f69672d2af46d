namespace Hatbox.Common;

/// <summary>Who makes a management change: a signed-in user, or the operator's <c>hatbox admin</c> CLI (no user id).</summary>
internal readonly record struct Actor(string? UserId)
{
    public static readonly Actor Cli = new(null);

    public bool IsCli => UserId is null;
}
