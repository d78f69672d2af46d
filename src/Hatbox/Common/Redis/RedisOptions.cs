using System.ComponentModel.DataAnnotations;
using StackExchange.Redis;

namespace Hatbox.Common.Redis;

/// <summary>
/// Where rate limits and the monthly quota are counted (DESIGN.md §6). Unset: in this process, exact
/// on one node. Set: in Redis, shared by every node on the same data store.
/// </summary>
internal sealed class RedisOptions : IValidatableObject
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis connection string, e.g. <c>redis.internal:6379,password=…,ssl=true</c>.</summary>
    public string? Configuration { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && Parse(Configuration!) is null)
        {
            yield return new ValidationResult(
                "Redis:Configuration must be a StackExchange.Redis connection string with at least one host:port.", [nameof(Configuration)]);
        }
    }

    /// <summary>The parsed connection string, or null when it does not parse or names no server.</summary>
    public static ConfigurationOptions? Parse(string configuration)
    {
        try
        {
            var options = ConfigurationOptions.Parse(configuration);
            return options.EndPoints.Count > 0 ? options : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
