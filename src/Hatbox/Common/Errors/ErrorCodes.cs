namespace Hatbox.Common.Errors;

/// <summary>Every stable error code a client can switch on. Tests assert these, never messages.</summary>
internal static class ErrorCodes
{
    // Transport and framework
    public const string HttpsRequired = "https_required";
    public const string RouteNotFound = "route_not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string PayloadTooLarge = "payload_too_large";
    public const string InvalidRequest = "invalid_request";
    public const string InternalError = "internal_error";
    public const string ServiceUnavailable = "service_unavailable";
    public const string UnknownApiVersion = "unknown_api_version";

    // Request bodies
    public const string InvalidJson = "invalid_json";
    public const string InvalidForm = "invalid_form";
    public const string InvalidMultipart = "invalid_multipart";
    public const string BulkNotSupported = "bulk_not_supported";
    public const string ParameterMissing = "parameter_missing";
    public const string ParameterInvalid = "parameter_invalid";

    // API keys
    public const string MissingApiKey = "missing_api_key";
    public const string InvalidApiKey = "invalid_api_key";
    public const string ApiKeyRevoked = "api_key_revoked";
    public const string ApiKeyExpired = "api_key_expired";
    public const string MultipleApiKeys = "multiple_api_keys";
    public const string InvalidOrgKey = "invalid_org_key";
    public const string InvalidMetricsToken = "invalid_metrics_token";
    public const string ApiAccessDisabled = "api_access_disabled";
    public const string ApiKeyLimitReached = "api_key_limit_reached";

    // Management
    public const string NotFound = "resource_not_found";
    public const string Unauthenticated = "not_signed_in";
    public const string Forbidden = "forbidden";
    public const string Conflict = "conflict";
    public const string LastAdmin = "last_admin";
    public const string CsrfTokenInvalid = "csrf_token_invalid";
    public const string InvalidCredentials = "invalid_credentials";
    public const string EmailTaken = "email_taken";
    public const string SlugTaken = "slug_taken";
    public const string PlanNotSelfService = "plan_not_self_service";
    public const string WorkspaceCreationLimit = "workspace_creation_limit";
    public const string InvitationLimit = "invitation_limit";
    public const string TokenInvalid = "token_invalid";
    public const string CrossSiteRequest = "cross_site_request";
    public const string ExternalLoginFailed = "external_login_failed";

    // Storage
    public const string InvalidPath = "invalid_path";
    public const string FileNotFound = "file_not_found";
    public const string InvalidSignature = "invalid_signature";
    public const string UrlExpired = "url_expired";

    // Database (the /db API)
    public const string TableNotFound = "table_not_found";
    public const string ColumnNotFound = "column_not_found";
    public const string SqlError = "sql_error";
    public const string ConstraintViolation = "constraint_violation";
    public const string QueryTimeout = "query_timeout";
    public const string QueryNotAllowed = "query_not_allowed";
    public const string QueryTooLong = "query_too_long";
    public const string QueryTooComplex = "query_too_complex";
    public const string QueryMemoryExceeded = "query_memory_exceeded";
    public const string TooManyParameters = "too_many_parameters";
    public const string DatabaseBusy = "database_busy";

    // AI over data
    public const string NoTextColumns = "no_text_columns";
    public const string RecordNotFound = "record_not_found";
    public const string TooManyRows = "too_many_rows";
    public const string EmbeddingUnavailable = "embedding_unavailable";
    public const string QuestionNotUnderstood = "question_not_understood";
    public const string QuestionTooLong = "question_too_long";
    public const string UnsafeGeneratedSql = "unsafe_generated_sql";
    public const string AiUnavailable = "ai_unavailable";
    // Flows
    public const string FlowNotFound = "flow_not_found";
    public const string FlowInvalid = "flow_invalid";
    public const string FlowRunNotFound = "flow_run_not_found";
    public const string FlowRunFailed = "flow_run_failed";
    public const string FlowQueueFull = "flow_queue_full";
    // Every monthly plan limit refuses with it: requests (QuotaStage) and flow runs.
    public const string QuotaExceeded = "quota_exceeded";
    public const string UrlNotAllowed = "url_not_allowed";
}
