namespace Hatbox.Portal;

/// <summary>Marks a page that shares its path with an API endpoint and answers only browsers (<see cref="BrowserPageMatcherPolicy"/>).</summary>
internal sealed class BrowserPage
{
    public static readonly BrowserPage Instance = new();
}
