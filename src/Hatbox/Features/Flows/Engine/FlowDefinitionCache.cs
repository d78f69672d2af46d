using System.Collections.Concurrent;
using System.Text.Json;
using Hatbox.Data;
using Hatbox.Features.Flows.Definitions;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Flows.Engine;

/// <summary>Parsed flow versions. A version never changes once saved, so it is read and validated once per node.</summary>
internal sealed class FlowDefinitionCache(IServiceScopeFactory scopes)
{
    const int MaxEntries = 10_000;
    readonly ConcurrentDictionary<(string, int), FlowDefinition> _parsed = new();

    public async Task<FlowDefinition?> GetAsync(string flowId, int version, CancellationToken cancellationToken)
    {
        if (_parsed.TryGetValue((flowId, version), out var definition))
        {
            return definition;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var document = await db.FlowVersions.AsNoTracking()
            .Where(v => v.FlowId == flowId && v.Version == version).Select(v => v.Document).FirstOrDefaultAsync(cancellationToken);
        if (document is null)
        {
            return null;
        }
        using var parsed = JsonDocument.Parse(document);
        definition = FlowValidator.Validate(parsed.RootElement).Definition;
        if (definition is null)
        {
            return null;
        }
        if (_parsed.Count >= MaxEntries)
        {
            _parsed.Clear();
        }
        return _parsed.GetOrAdd((flowId, version), definition);
    }
}
