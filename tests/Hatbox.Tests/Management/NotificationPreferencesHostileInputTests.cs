using System.Net;
using System.Text;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>Notification preferences against bad types, missing fields, broken bodies and other people's settings.</summary>
public sealed class NotificationPreferencesHostileInputTests(ManagementServer fixture) : IClassFixture<ManagementServer>
{
    const string Path = "/v1/me/notification-preferences";

    readonly TestServer _server = fixture.Server;

    public static readonly TheoryData<string> BadValues = new()
    {
        """{"newVersions":"maybe"}""",
        """{"newVersions":2}""",
        """{"newVersions":{"$set":true}}""",
        """{"newVersions":["true"]}""",
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task AValueThatIsNotABooleanIsRefusedAndChangesNothing(string json)
    {
        using var person = await SubscribedPersonAsync();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await person.SendAsync(HttpMethod.Put, Path, content);

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        Assert.Equal("newVersions", error.GetProperty("error").GetProperty("param").GetString());
        Assert.True(await NewVersionsAsync(person));
    }

    [Fact]
    public async Task AMissingValueIsRefusedRatherThanReadAsOff()
    {
        using var person = await SubscribedPersonAsync();

        using var response = await person.SendAsync(HttpMethod.Put, Path, new { somethingElse = true });

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterMissing);
        Assert.Equal("newVersions", error.GetProperty("error").GetProperty("param").GetString());
        Assert.True(await NewVersionsAsync(person));
    }

    [Fact]
    public async Task ABrokenBodyIsInvalidJson()
    {
        using var person = await SubscribedPersonAsync();
        using var content = new StringContent("""{"newVersions":fal""", Encoding.UTF8, "application/json");

        using var response = await person.SendAsync(HttpMethod.Put, Path, content);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidJson);
        Assert.True(await NewVersionsAsync(person));
    }

    [Fact]
    public async Task AFormBodyIsReadLikeJson()
    {
        using var person = await SubscribedPersonAsync();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["newVersions"] = "false" });

        using var response = await person.SendAsync(HttpMethod.Put, Path, form);

        Assert.False((await Person.ReadAsync(response, HttpStatusCode.OK)).GetProperty("newVersions").GetBoolean());
        Assert.False(await NewVersionsAsync(person));
    }

    [Fact]
    public async Task WithoutASessionOrWithoutTheCsrfTokenNothingChanges()
    {
        using var person = await SubscribedPersonAsync();
        using var anonymous = Person.Anonymous(_server);
        using var noSession = await anonymous.SendAsync(HttpMethod.Put, Path, new { newVersions = false });
        using var noSessionRead = await anonymous.GetAsync(Path);
        person.ForgetCsrfToken();

        using var noCsrf = await person.SendAsync(HttpMethod.Put, Path, new { newVersions = false });

        await ErrorAssert.IsErrorAsync(noSession, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
        await ErrorAssert.IsErrorAsync(noSessionRead, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
        await ErrorAssert.IsErrorAsync(noCsrf, HttpStatusCode.Forbidden, ErrorCodes.CsrfTokenInvalid);
        await person.RefreshCsrfTokenAsync();
        Assert.True(await NewVersionsAsync(person));
    }

    [Fact]
    public async Task OnePersonsChangeLeavesAnothersAlone()
    {
        using var one = await SubscribedPersonAsync();
        using var other = await SubscribedPersonAsync();

        using var response = await one.SendAsync(HttpMethod.Put, Path, new { newVersions = false });

        await Person.ReadAsync(response, HttpStatusCode.OK);
        Assert.False(await NewVersionsAsync(one));
        Assert.True(await NewVersionsAsync(other));
    }

    async Task<Person> SubscribedPersonAsync()
    {
        var person = await Person.SignUpAsync(_server);
        using var on = await person.SendAsync(HttpMethod.Put, Path, new { newVersions = true });
        await Person.ReadAsync(on, HttpStatusCode.OK);
        return person;
    }

    static async Task<bool> NewVersionsAsync(Person person)
    {
        using var response = await person.GetAsync(Path);
        return (await Person.ReadAsync(response, HttpStatusCode.OK)).GetProperty("newVersions").GetBoolean();
    }
}
