namespace Hatbox.Features.Flows.Engine;

/// <summary>
/// How many runs execute at once on this node: in all and per workspace, so one workspace with a
/// thousand queued runs leaves room for the others. Runs without a slot stay queued in the database.
/// </summary>
internal sealed class RunSlots(int total, int perWorkspace)
{
    readonly Dictionary<string, int> _byWorkspace = new(StringComparer.Ordinal);
    int _total;

    public bool TryTake(string workspaceId)
    {
        lock (_byWorkspace)
        {
            var used = _byWorkspace.GetValueOrDefault(workspaceId);
            if (_total >= total || used >= perWorkspace)
            {
                return false;
            }
            _byWorkspace[workspaceId] = used + 1;
            _total++;
            return true;
        }
    }

    public void Return(string workspaceId)
    {
        lock (_byWorkspace)
        {
            var used = _byWorkspace.GetValueOrDefault(workspaceId) - 1;
            if (used <= 0)
            {
                _byWorkspace.Remove(workspaceId);
            }
            else
            {
                _byWorkspace[workspaceId] = used;
            }
            _total--;
        }
    }

    public bool IsFull
    {
        get
        {
            lock (_byWorkspace)
            {
                return _total >= total;
            }
        }
    }
}
