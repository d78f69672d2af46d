using System.Net;
using System.Text;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Management;

namespace Hatbox.Tests.Accounts;

/// <summary>Issue 17's hostile inputs for Accounts: e-mail and password checks, over-long fields, broken bodies.</summary>
public sealed class AccountInputTests(AccountsServer fixture) : IClassFixture<AccountsServer>
{
    readonly TestServer _server = fixture.Server;

    public static TheoryData<string> BadAddresses => new()
    {
        "",
        "   ",
        "no-at-sign.example",
        "@example.test",
        "someone@",
        "two@at@example.test",
        "space in@example.test",
        "line\r\nBcc: victim@example.test",
        "Name <someone@example.test>",
        "a,b@example.test",
        "dots@example..test",
        "trailing@example.test.",
        new string('a', 65) + "@example.test",
        "someone@" + new string('d', 64) + ".test",
        new string('a', 60) + "@" + string.Join('.', Enumerable.Repeat(new string('d', 60), 5)),
    };

    [Theory]
    [MemberData(nameof(BadAddresses))]
    public async Task SigningUpWithAnAddressThatIsNotOneIsRefusedNamingTheField(string email)
    {
        using var browser = Person.Anonymous(_server);
        using var response = await browser.SendAsync(HttpMethod.Post, "/v1/accounts", new { email, password = Person.Password });

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        Assert.Equal("email", error.GetProperty("error").GetProperty("param").GetString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(1025)]
    public async Task APasswordOutsideTheAllowedLengthIsRefused(int length)
    {
        using var browser = Person.Anonymous(_server);
        using var response = await browser.SendAsync(HttpMethod.Post, "/v1/accounts",
            new { email = Person.NewEmail(), password = new string('p', length) });

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        Assert.Equal("password", error.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task AnAddressInCapitalsIsTheSameAccount()
    {
        using var person = await Person.SignUpAsync(_server);
        using var browser = Person.Anonymous(_server);

        using var again = await browser.SendAsync(HttpMethod.Post, "/v1/accounts", new { email = "  " + person.Email.ToUpperInvariant() + " ", password = Person.Password });
        using var signIn = await browser.SignInAsync(person.Email.ToUpperInvariant(), Person.Password);

        await ErrorAssert.IsErrorAsync(again, HttpStatusCode.Conflict, ErrorCodes.EmailTaken);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Theory]
    [InlineData(201)]
    [InlineData(-1)]
    public async Task AnOverLongOrControlCharacterNameIsRefused(int length)
    {
        var name = length < 0 ? "Mallory\u0007\u001b[2J" : new string('n', length);
        using var browser = Person.Anonymous(_server);
        using var response = await browser.SendAsync(HttpMethod.Post, "/v1/accounts", new { email = Person.NewEmail(), password = Person.Password, name });

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        Assert.Equal("name", error.GetProperty("error").GetProperty("param").GetString());
    }

    public static TheoryData<string, string, string, string> BrokenBodies => new()
    {
        { "/v1/accounts", "application/json", "{\"email\": \"a@example.test\", \"password\": ", ErrorCodes.InvalidJson },
        { "/v1/accounts", "application/json", "[{\"email\": \"a@example.test\"}]", ErrorCodes.BulkNotSupported },
        { "/v1/accounts", "application/json", "{\"email\": \"a@example.test\", \"password\": 1234567890123}", ErrorCodes.ParameterInvalid },
        { "/v1/accounts", "application/json", "{\"email\": {\"$ne\": null}, \"password\": \"a long test password\"}", ErrorCodes.ParameterInvalid },
        { "/v1/sessions", "application/json", "{\"email\": [\"a@example.test\"], \"password\": \"x\"}", ErrorCodes.ParameterInvalid },
        { "/v1/sessions", "application/x-www-form-urlencoded", "email=%ZZ&password=x", ErrorCodes.InvalidForm },
        { "/v1/password-resets", "application/json", "{\"token\": 42, \"password\": \"a long test password\"}", ErrorCodes.ParameterInvalid },
        { "/v1/email-verifications", "application/json", "\"just a string\"", ErrorCodes.InvalidJson },
    };

    [Theory]
    [MemberData(nameof(BrokenBodies))]
    public async Task ABrokenBodyIsRefusedWithItsCode(string path, string mediaType, string body, string code)
    {
        using var client = _server.CreateClient();
        using var content = new StringContent(body, Encoding.UTF8, mediaType);

        using var response = await client.PostAsync(path, content, TestContext.Current.CancellationToken);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, code);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task ABodyPastTheServersLimitIsTooLarge()
    {
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/accounts")
        {
            Content = new StringContent($"{{\"email\":\"a@example.test\",\"password\":\"{new string('p', 2 << 20)}\"}}", Encoding.UTF8, "application/json"),
        };
        // Without 100-continue the server's early 413 races the client's upload of the rest of the
        // body over HTTP/1.1, and the client may see the connection closed instead of the answer.
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
    }

    [Fact]
    public async Task AnOverLongTokenIsRefusedLikeAnUnknownOne()
    {
        using var browser = Person.Anonymous(_server);
        using var verify = await browser.SendAsync(HttpMethod.Post, "/v1/email-verifications", new { token = new string('A', 100_000) });
        using var reset = await browser.SendAsync(HttpMethod.Post, "/v1/password-resets", new { token = new string('A', 100_000), password = Person.Password });

        await ErrorAssert.IsErrorAsync(verify, HttpStatusCode.BadRequest, ErrorCodes.TokenInvalid);
        await ErrorAssert.IsErrorAsync(reset, HttpStatusCode.BadRequest, ErrorCodes.TokenInvalid);
    }

    [Fact]
    public async Task AResetRequestForAMalformedAddressAnswersLikeAnyOther()
    {
        using var browser = Person.Anonymous(_server);
        using var response = await browser.SendAsync(HttpMethod.Post, "/v1/password-reset-requests", new { email = "line\r\nBcc: victim@example.test" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task SigningInWithAnOverLongPasswordIsTheOrdinaryRefusal()
    {
        using var person = await Person.SignUpAsync(_server);
        using var browser = Person.Anonymous(_server);

        using var response = await browser.SignInAsync(person.Email, new string('p', 100_000));

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials);
    }
}
