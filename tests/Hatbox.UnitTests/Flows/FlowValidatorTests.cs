using System.Text.Json;
using Hatbox.Features.Flows.Definitions;

namespace Hatbox.UnitTests.Flows;

public sealed class FlowValidatorTests
{
    static (FlowDefinition? Definition, List<FlowFault> Faults) Validate(string json) =>
        FlowValidator.Validate(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void AValidFlowParsesWithNestedStepsRetriesAndTimeouts()
    {
        var (definition, faults) = Validate("""
            { "name": "n", "timeout": "5m", "steps": [
              { "id": "a", "uses": "http", "retry": { "max": 3, "backoff": "2s" }, "timeout": "500ms", "with": { "url": "https://x.test" } },
              { "id": "b", "uses": "if", "with": { "condition": "${{ steps.a.output.status === 200 }}",
                "then": [ { "id": "c", "uses": "wait", "with": { "seconds": 1 } } ], "else": [] } }
            ] }
            """);

        Assert.Empty(faults);
        Assert.NotNull(definition);
        Assert.Equal(TimeSpan.FromMinutes(5), definition.Timeout);
        Assert.Equal(new RetryPolicy(3, TimeSpan.FromSeconds(2)), definition.Steps[0].Retry);
        Assert.Equal(TimeSpan.FromMilliseconds(500), definition.Steps[0].Timeout);
        Assert.Equal("/steps/1/with/then/0", Assert.Single(definition.Steps[1].Then).Key);
    }

    [Fact]
    public void EveryFaultIsReportedWithItsPath()
    {
        var (definition, faults) = Validate("""
            { "name": "n", "steps": [
              { "id": "a", "uses": "script", "with": { "code": "return steps.nope.output;" } },
              { "id": "a", "uses": "script", "with": { "code": "return (;" } }
            ] }
            """);

        Assert.Null(definition);
        Assert.Contains(faults, f => f.Path == "/steps/1/id");
        Assert.Contains(faults, f => f.Path == "/steps/0/with/code");
        Assert.Contains(faults, f => f.Path == "/steps/1/with/code");
    }

    [Fact]
    public void AnUnknownTopLevelPropertyIsAFault()
    {
        var (_, faults) = Validate("""{ "name": "x", "extra": 1, "steps": [ { "id": "a", "uses": "wait", "with": { "seconds": 1 } } ] }""");

        Assert.Equal("/extra", Assert.Single(faults).Path);
    }

    [Theory]
    [InlineData("${{ a }}", "a")]
    [InlineData("  ${{ input.x }} ", "input.x")]
    [InlineData("x ${{ a }}", null)]
    [InlineData("${{ a }} ${{ b }}", null)]
    public void AStringThatIsOneExpressionKeepsItsType(string text, string? expression) =>
        Assert.Equal(expression, Templates.WholeExpression(text));

    [Fact]
    public void RetriesBackOffExponentially()
    {
        var retry = new RetryPolicy(3, TimeSpan.FromSeconds(2));

        Assert.Equal(2, retry.DelayBefore(2).TotalSeconds);
        Assert.Equal(4, retry.DelayBefore(3).TotalSeconds);
        Assert.Equal(8, retry.DelayBefore(4).TotalSeconds);
    }
}
