using Microsoft.Extensions.Options;

namespace Hatbox.Features.Db;

/// <summary>
/// Who runs SQL next (issue 17 item 5): at most <see cref="DbOptions.SqlThreads"/> statements on the
/// server and <see cref="DbOptions.MaxConcurrentStatementsPerOrganization"/> per organization at
/// once; the rest wait in one queue per organization, and a freed turn goes to the organizations in
/// rotation, so a tenant with twenty statements waiting delays another's one by at most one turn.
/// A queue that is full, or a wait past <see cref="DbOptions.MaxQueueWaitMilliseconds"/>, is
/// refused at once (<c>503 database_busy</c>, <c>Retry-After</c>), never a long silent wait.
/// Engine-neutral: it counts turns, not connections.
/// </summary>
internal sealed class DbAdmission(IOptions<DbOptions> options)
{
    readonly DbOptions _options = options.Value;
    readonly Lock _lock = new();
    readonly Dictionary<string, Organization> _organizations = new(StringComparer.Ordinal);
    // Organizations with someone waiting, in the order their turns come.
    readonly LinkedList<Organization> _rotation = new();
    int _running;

    /// <summary>A turn, or null when refused. Dispose the turn when the statement is done.</summary>
    public async ValueTask<Turn?> EnterAsync(string organizationId, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            var organization = Find(organizationId);
            if (organization.Waiting.Count == 0 && CanRun(organization))
            {
                Start(organization);
                return new Turn(this, organization);
            }
            if (organization.Waiting.Count >= _options.MaxQueuedStatementsPerOrganization)
            {
                Forget(organization);
                return null;
            }
            waiter = new Waiter(organization);
            waiter.Node = organization.Waiting.AddLast(waiter);
            if (organization.Waiting.Count == 1)
            {
                organization.InRotation = _rotation.AddLast(organization);
            }
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.MaxQueueWaitMilliseconds);
        await using (timeout.Token.UnsafeRegister(static state => ((Waiter)state!).Organization.Admission.GiveUp((Waiter)state!), waiter))
        {
            if (await waiter.Done.Task)
            {
                // A turn once given is always handed back, even to a caller who just hung up.
                return new Turn(this, waiter.Organization);
            }
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }

    bool CanRun(Organization organization) =>
        _running < _options.SqlThreads && organization.Running < _options.MaxConcurrentStatementsPerOrganization;

    Organization Find(string organizationId)
    {
        if (!_organizations.TryGetValue(organizationId, out var organization))
        {
            organization = new Organization(this, organizationId);
            _organizations[organizationId] = organization;
        }
        return organization;
    }

    void Start(Organization organization)
    {
        _running++;
        organization.Running++;
    }

    /// <summary>Keeps the table to organizations with statements running or waiting.</summary>
    void Forget(Organization organization)
    {
        if (organization.Running == 0 && organization.Waiting.Count == 0)
        {
            _organizations.Remove(organization.Id);
        }
    }

    void GiveUp(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node is null)
            {
                return;
            }
            Dequeue(waiter);
            Forget(waiter.Organization);
        }
        waiter.Done.TrySetResult(false);
    }

    void Dequeue(Waiter waiter)
    {
        var organization = waiter.Organization;
        organization.Waiting.Remove(waiter.Node!);
        waiter.Node = null;
        if (organization.Waiting.Count == 0 && organization.InRotation is { } node)
        {
            _rotation.Remove(node);
            organization.InRotation = null;
        }
    }

    void Leave(Organization organization)
    {
        var admitted = new List<Waiter>();
        lock (_lock)
        {
            _running--;
            organization.Running--;
            // One turn per organization per pass, in rotation, while turns are free.
            var passes = _rotation.Count;
            for (var node = _rotation.First; node is not null && passes-- > 0 && _running < _options.SqlThreads;)
            {
                var next = node.Next;
                var candidate = node.Value;
                if (CanRun(candidate))
                {
                    var waiter = candidate.Waiting.First!.Value;
                    Dequeue(waiter);
                    Start(candidate);
                    admitted.Add(waiter);
                    if (candidate.InRotation is { } stillWaiting)
                    {
                        // Its next statement waits behind everyone else's.
                        _rotation.Remove(stillWaiting);
                        candidate.InRotation = _rotation.AddLast(candidate);
                    }
                }
                node = next;
            }
            Forget(organization);
        }
        admitted.ForEach(waiter => waiter.Done.TrySetResult(true));
    }

    internal sealed class Organization(DbAdmission admission, string id)
    {
        public DbAdmission Admission { get; } = admission;
        public string Id { get; } = id;
        public int Running;
        public LinkedList<Waiter> Waiting { get; } = new();
        public LinkedListNode<Organization>? InRotation;
    }

    internal sealed class Waiter(Organization organization)
    {
        public Organization Organization { get; } = organization;
        public LinkedListNode<Waiter>? Node;
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One statement's turn; disposing it gives the turn to the next in rotation.</summary>
    internal sealed class Turn(DbAdmission admission, Organization organization) : IDisposable
    {
        int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                admission.Leave(organization);
            }
        }
    }
}
