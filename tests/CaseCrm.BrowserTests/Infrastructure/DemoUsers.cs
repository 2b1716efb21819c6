namespace CaseCrm.BrowserTests.Infrastructure;

/// <summary>A demo sign-in that the app creates when it runs with Seed:Demo=true.</summary>
public sealed record DemoUser(string Email, string Password);

/// <summary>The demo users of the README (the app seeds them from <c>DbInitializer.DemoUsers</c>).</summary>
public static class DemoUsers
{
    public static readonly DemoUser Agent = new("agente@casecrm.test", "agente-demo-2026");
    public static readonly DemoUser Supervisor = new("supervisor@casecrm.test", "supervisor-demo-2026");
    public static readonly DemoUser Administrator = new("admin@casecrm.test", "admin-demo-2026");
}
