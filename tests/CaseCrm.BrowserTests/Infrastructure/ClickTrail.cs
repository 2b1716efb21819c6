using Microsoft.Playwright;

namespace CaseCrm.BrowserTests.Infrastructure;

/// <summary>
/// The clicks a user makes on the way to something, named, so that a test can assert how many it takes
/// (the structure of the steps, not their timing). Every click between start and goal goes through it.
/// </summary>
public sealed class ClickTrail
{
    private readonly List<string> _steps = [];

    public IReadOnlyList<string> Steps => _steps;

    public async Task ClickAsync(string step, ILocator target)
    {
        await target.ClickAsync();
        _steps.Add(step);
    }
}
