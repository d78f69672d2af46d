namespace Baseline;

/// <summary>
/// The response headers every Hatbox API answer carries (DESIGN.md §4), as fixed text of the same
/// length: the baseline sends as many bytes as Hatbox, so the ratio shows what Hatbox's stages
/// decide, not the size of the answer the API promises. Also compiled into Hatbox.Benchmarks, whose
/// in-process bare app answers as the baseline does.
/// </summary>
static class AnswerHeaders
{
    public static void Write(Microsoft.AspNetCore.Http.HttpResponse response, bool rateLimited)
    {
        var headers = response.Headers;
        headers["Request-Id"] = "req_0123456789abcdefghijklmn";
        if (rateLimited)
        {
            headers["RateLimit-Policy"] = "\"minute\";q=1000000000;w=60";
            headers["RateLimit"] = "\"minute\";r=999999999;t=1";
            headers["RateLimit-Limit"] = "1000000000";
            headers["RateLimit-Remaining"] = "999999999";
            headers["RateLimit-Reset"] = "1";
        }
        headers["WorqHat-Version"] = "2025-10-28";
    }
}
