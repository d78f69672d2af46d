using Hatbox.Common.Errors;
using Hatbox.Features.Domains;
using Hatbox.Features.Plans;

namespace Hatbox.Features.ApiReference;

/// <summary>
/// The error statuses and codes each operation can answer. Handlers return <see cref="ApiError"/>
/// values chosen at run time, so no endpoint metadata can carry them; this table does, by the stage
/// that refuses (key, session, body) and by route group. The document test calls every operation and
/// fails on a status or code missing here, so the table cannot silently fall behind the code.
/// </summary>
internal static class OperationErrors
{
    /// <summary>What the stages before every keyed endpoint refuse with (DESIGN.md §5).</summary>
    static readonly ErrorSet Keyed = new()
    {
        [400] = [ErrorCodes.MultipleApiKeys],
        [401] = [ErrorCodes.MissingApiKey, ErrorCodes.InvalidApiKey, ErrorCodes.ApiKeyRevoked, ErrorCodes.ApiKeyExpired, ErrorCodes.InvalidOrgKey],
        [403] = [ErrorCodes.ApiAccessDisabled, DomainErrors.OriginNotAllowedCode, ErrorCodes.HttpsRequired],
        [429] = ["rate_limited", "quota_exceeded"],
    };

    /// <summary>The version stage, before every public endpoint: an unknown <c>WorqHat-Version</c>.</summary>
    static readonly ErrorSet Versioned = new()
    {
        [400] = ["invalid_api_version"],
    };

    static readonly ErrorSet KeyedPost = new()
    {
        [400] = ["idempotency_key_reused", "idempotency_key_invalid"],
        [409] = ["idempotency_key_in_use"],
    };

    static readonly ErrorSet Session = new()
    {
        [401] = [ErrorCodes.Unauthenticated],
        [403] = [ErrorCodes.Forbidden, ErrorCodes.CsrfTokenInvalid, ErrorCodes.CrossSiteRequest, ErrorCodes.HttpsRequired],
        [404] = [ErrorCodes.NotFound],
    };

    static readonly ErrorSet Bodies = new()
    {
        [400] = [ErrorCodes.InvalidJson, ErrorCodes.InvalidForm, ErrorCodes.ParameterMissing, ErrorCodes.ParameterInvalid],
        [413] = [ErrorCodes.PayloadTooLarge],
        [415] = [ErrorCodes.UnsupportedMediaType],
    };

    static readonly ErrorSet Always = new()
    {
        [500] = [ErrorCodes.InternalError],
    };

    static readonly ErrorSet Db = new()
    {
        [400] = [ErrorCodes.ParameterMissing, ErrorCodes.ParameterInvalid, ErrorCodes.ColumnNotFound, ErrorCodes.SqlError,
            ErrorCodes.QueryNotAllowed, ErrorCodes.QueryTooLong, ErrorCodes.QueryTooComplex, ErrorCodes.TooManyParameters,
            ErrorCodes.BulkNotSupported],
        [404] = [ErrorCodes.TableNotFound],
        [409] = [ErrorCodes.ConstraintViolation],
        [413] = [StorageQuota.ExceededCode],
        [422] = [ErrorCodes.QueryTimeout, ErrorCodes.QueryMemoryExceeded],
        [503] = [ErrorCodes.DatabaseBusy],
    };

    static readonly ErrorSet DbAi = new()
    {
        [400] = [ErrorCodes.ParameterMissing, ErrorCodes.ParameterInvalid, ErrorCodes.ColumnNotFound, ErrorCodes.QuestionTooLong,
            ErrorCodes.QuestionNotUnderstood, ErrorCodes.UnsafeGeneratedSql, ErrorCodes.SqlError, ErrorCodes.QueryNotAllowed],
        [404] = [ErrorCodes.TableNotFound, ErrorCodes.RecordNotFound],
        [422] = [ErrorCodes.NoTextColumns, ErrorCodes.TooManyRows, ErrorCodes.QueryTimeout, ErrorCodes.QuestionNotUnderstood],
        [503] = [ErrorCodes.EmbeddingUnavailable, ErrorCodes.AiUnavailable, ErrorCodes.DatabaseBusy],
    };

    static readonly ErrorSet Storage = new()
    {
        [400] = [ErrorCodes.ParameterMissing, ErrorCodes.ParameterInvalid, ErrorCodes.InvalidPath, ErrorCodes.InvalidMultipart,
            ErrorCodes.BulkNotSupported],
        [404] = [ErrorCodes.FileNotFound],
        [413] = [ErrorCodes.PayloadTooLarge, StorageQuota.ExceededCode],
        [415] = [ErrorCodes.UnsupportedMediaType],
    };

    static readonly ErrorSet Download = new()
    {
        [403] = [ErrorCodes.InvalidSignature, ErrorCodes.UrlExpired],
        [404] = [ErrorCodes.FileNotFound],
    };

    static readonly ErrorSet Flows = new()
    {
        [400] = [ErrorCodes.ParameterMissing, ErrorCodes.ParameterInvalid, ErrorCodes.InvalidMultipart, ErrorCodes.FlowInvalid,
            ErrorCodes.UrlNotAllowed],
        [404] = [ErrorCodes.FlowNotFound, ErrorCodes.FlowRunNotFound],
        [413] = [ErrorCodes.PayloadTooLarge],
        [415] = [ErrorCodes.UnsupportedMediaType],
        [422] = [ErrorCodes.FlowRunFailed],
        [429] = [ErrorCodes.FlowQueueFull, ErrorCodes.QuotaExceeded],
    };

    static readonly ErrorSet Management = new()
    {
        [400] = [ErrorCodes.ParameterMissing, ErrorCodes.ParameterInvalid, ErrorCodes.InvalidRequest, "invalid_origin",
            "invalid_api_version", ErrorCodes.FlowInvalid, ErrorCodes.UrlNotAllowed, ErrorCodes.TokenInvalid],
        [401] = [ErrorCodes.InvalidCredentials],
        [403] = [ErrorCodes.PlanNotSelfService],
        [404] = [ErrorCodes.FlowNotFound, ErrorCodes.FlowRunNotFound, ErrorCodes.TableNotFound],
        [409] = [ErrorCodes.Conflict, ErrorCodes.LastAdmin, ErrorCodes.EmailTaken, ErrorCodes.SlugTaken, ErrorCodes.ApiKeyLimitReached,
            "domain_limit_reached", "version_downgrade_not_allowed", "rollback_not_available"],
        [422] = [ErrorCodes.WorkspaceCreationLimit, ErrorCodes.InvitationLimit, ErrorCodes.NoTextColumns],
        [429] = ["rate_limited"],
    };

    static readonly ErrorSet Framework = new()
    {
        [405] = [ErrorCodes.MethodNotAllowed],
    };

    /// <summary>Every error status of one operation, with the codes it may carry.</summary>
    public static ErrorSet For(OperationFacts operation)
    {
        var set = new ErrorSet();
        set.Add(Always);
        set.Add(Framework);
        if (operation.Keyed)
        {
            set.Add(Keyed);
            if (operation.Method == "post")
            {
                set.Add(KeyedPost);
            }
        }
        if (operation.Versioned)
        {
            set.Add(Versioned);
        }
        if (operation.Session)
        {
            set.Add(Session);
        }
        if (operation.TakesBody)
        {
            set.Add(Bodies);
        }
        var path = operation.Path;
        if (path.StartsWith("/storage/download/", StringComparison.Ordinal))
        {
            set.Add(Download);
        }
        else if (path.StartsWith("/storage/", StringComparison.Ordinal))
        {
            set.Add(Storage);
        }
        else if (path.StartsWith("/db/", StringComparison.Ordinal))
        {
            set.Add(IsDbAi(path) ? DbAi : Db);
        }
        else if (path.StartsWith("/flows/", StringComparison.Ordinal))
        {
            set.Add(Flows);
        }
        else if (path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            set.Add(Management);
        }
        return set;
    }

    static bool IsDbAi(string path) => path is "/db/nl-query" or "/db/semantic-search" or "/db/hybrid-search" or "/db/find-similar"
        or "/db/recommend" or "/db/cluster" or "/db/detect-anomalies";
}

/// <summary>Error codes by status.</summary>
internal sealed class ErrorSet : SortedDictionary<int, SortedSet<string>>
{
    public new SortedSet<string> this[int status]
    {
        get => base[status];
        init => base[status] = value;
    }

    public void Add(ErrorSet other)
    {
        foreach (var (status, codes) in other)
        {
            if (!TryGetValue(status, out var mine))
            {
                base[status] = mine = new SortedSet<string>(StringComparer.Ordinal);
            }
            mine.UnionWith(codes);
        }
    }
}

/// <summary>What the document needs to know about one operation's endpoint.</summary>
internal sealed record OperationFacts(string Path, string Method, bool Keyed, bool Session, bool TakesBody, bool Versioned);
