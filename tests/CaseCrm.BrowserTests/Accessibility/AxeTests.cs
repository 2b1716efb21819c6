using System.Globalization;
using System.Text.Json;
using CaseCrm.BrowserTests.Infrastructure;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Data.Notifications;
using CaseCrm.Domain.Notifications;
using CaseCrm.Domain.ServiceLevels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace CaseCrm.BrowserTests.Accessibility;

/// <summary>
/// Every page of the app, as each role and anonymous, checked by axe-core (the npm package, restored with the app's
/// front-end packages) against WCAG 2.2 A and AA: no violation on any of them, at the desktop width and at a phone's
/// (390×844, where no page may scroll sideways either), and with a form shown again with its errors. The script runs
/// through the DevTools protocol (<c>EvaluateAsync</c>), which the page's Content-Security-Policy does not govern.
/// </summary>
public sealed class AxeTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

    private static readonly Lazy<string> AxeSource = new(() =>
    {
        var path = Path.Combine(RepoPaths.Root, "src", "CaseCrm.Web", "wwwroot", "lib", "axe-core", "axe.min.js");
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new InvalidOperationException($"axe-core is missing at {path}: the web project's build restores it from npm (package.json).");
    });

    [Fact]
    public Task EveryPage_AsAnAdministrator_HasNoWcagViolation_OnADesktopAndAPhone() => RunAsync(async () =>
    {
        await SignInAsync(DemoUsers.Administrator);
        var ids = await IdsAsync();
        await CheckPagesAsync([.. await AdministratorPagesAsync(), .. ActivityPages(ids, await CreateActivitiesAsync(ids))]);
        await Page.GotoAsync("/");
        await SaveDocsScreenshotAsync("start-supervisor.png", fullPage: true);
    });

    [Fact]
    public Task EveryPage_AsAnAgent_HasNoWcagViolation_OnADesktopAndAPhone() => RunAsync(async () =>
    {
        await SignInAsync(DemoUsers.Agent);
        var ids = await IdsAsync();
        var activityId = await CreateActivitiesAsync(ids);
        await AddNotificationsAsync(ids);
        await CheckPagesAsync(
        [
            "/", "/Contacts", $"/Contacts/{ids.ContactId}", $"/Contacts/{ids.ContactId}?tab=cases", "/Cases", $"/Cases/{ids.CaseId}",
            $"/Contacts/{ids.ContactId}/Cases/Create", $"/Cases/{ids.CaseId}/Edit", "/Accounts", $"/Accounts/{ids.AccountId}", "/Account/ChangePassword", "/Search?q=a",
            $"/Cases/{ids.CaseId}/Reply", "/Notifications", "/Account/Tokens", .. ActivityPages(ids, activityId),
        ]);
        await Page.GotoAsync("/");
        await SaveDocsScreenshotAsync("start-agent.png");
        await Page.SetViewportSizeAsync(390, 844);
        await Page.GotoAsync($"/Cases/{ids.CaseId}");
        await SaveDocsScreenshotAsync("phone-case.png");
        await Page.SetViewportSizeAsync(1280, 800);
    });

    [Fact]
    public Task TheSignInPage_AndTheErrorPages_HaveNoWcagViolation() => RunAsync(async () =>
    {
        await CheckPagesAsync(["/Account/Login"]);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Iniciar sesión" }).ClickAsync();
        await CheckCurrentAsync("/Account/Login (con errores)");
        await SignInAsync(DemoUsers.Agent);
        await CheckPagesAsync(["/Cases/999999999", "/Error/404", "/Error/500"]);
    });

    [Fact]
    public Task FormsShownAgainWithErrors_HaveNoWcagViolation() => RunAsync(async () =>
    {
        await SignInAsync(DemoUsers.Administrator);
        var ids = await IdsAsync();
        foreach (var (url, selector) in new[]
        {
            ("/Contacts/Create", "main form[method=post]"), ("/Accounts/Create", "main form[method=post]"),
            ($"/Contacts/{ids.ContactId}/Cases/Create", "#case-form"), ("/Categories", "#category-form"), ("/Users/Create", "main form[method=post]"),
            ("/Activities/Create?type=Call", "#activity-form"), ("/Activities/Create?type=Task", "#activity-form"),
            ("/Activities/Create?type=Appointment", "#activity-form"), ("/QuickReplies/Create", "#quick-reply-form"),
            ("/ServiceLevels/Calendars/Create", "#calendar-form"), ("/ServiceLevels/Policies/Create", "#policy-form"),
            ($"/Cases/{ids.CaseId}/Reply", "#reply-form"), ($"/Cases/{ids.ParentId}/WriteToChildren", "#children-form"),
            ($"/Cases/BulkEdit?ids={ids.CaseId}&ids={ids.OtherCaseId}", "#bulk-edit-form"),
            ("/Import", "#import-upload"),
        })
        {
            await Page.GotoAsync(url);
            var form = Page.Locator(selector).Last;
            await form.EvaluateAsync("f => { f.noValidate = true; f.querySelectorAll('input[type=text], input[type=email], textarea').forEach(i => i.value = ''); }");
            // The form comes back as a new document: wait for it to replace this one (a load-state wait can resolve on the old one).
            await Page.EvaluateAsync("() => { window.__beforeSubmit = true; }");
            await form.Locator("button[type=submit]").Last.ClickAsync();
            await Page.WaitForFunctionAsync("() => !window.__beforeSubmit && document.readyState === 'complete'");
            await CheckCurrentAsync(url + " (con errores)");
        }
    });

    /// <summary>
    /// The pages of activities (issue 16): the list's views, the three forms, an activity, the calendar's week and month,
    /// the preferences, the contact's and the account's "Actividades" tabs, and the resolve form of a case with an open task.
    /// </summary>
    private static string[] ActivityPages(Ids ids, int activityId) =>
    [
        "/Activities", "/Activities?view=Today", "/Activities?view=Upcoming", "/Activities?view=All",
        "/Activities/Create?type=Call", "/Activities/Create?type=Task", "/Activities/Create?type=Appointment",
        $"/Activities/Create?type=Call&regardingType=Case&regardingId={ids.CaseId}", $"/Activities/{activityId}",
        "/Calendar", "/Calendar?view=Month", "/Preferences", $"/Contacts/{ids.ContactId}?tab=activities", $"/Accounts/{ids.AccountId}?tab=activities",
        $"/Cases/{ids.CaseId}/Resolve", $"/Cases/{ids.CaseId}/Cancel",
    ];

    /// <summary>
    /// Through the UI, so that the activity pages show rows: a call regarding the contact (its and its account's tabs,
    /// "Vencidas" a moment later), an appointment tomorrow, and an open task on the case from its page (the resolve form's
    /// warning). Returns the task's id, as its timeline entry names it.
    /// </summary>
    private async Task<int> CreateActivitiesAsync(Ids ids)
    {
        var tag = TestData.NewTag();
        var now = DateTime.Now;
        await Page.GotoAsync($"/Activities/Create?type=Call&regardingType=Contact&regardingId={ids.ContactId}");
        await SaveActivityAsync($"Llamada de seguimiento {tag}");

        await Page.GotoAsync("/Activities/Create?type=Appointment");
        await Page.ActivityField("Inicio").FillAsync(ActivityUi.LocalInput(now.Date.AddDays(1).AddHours(10)));
        await Page.ActivityField("Fin").FillAsync(ActivityUi.LocalInput(now.Date.AddDays(1).AddHours(11)));
        await Page.ActivityField("Ubicación").FillAsync("Sala de reuniones 2");
        await SaveActivityAsync($"Reunión con el cliente {tag}");

        var task = $"Revisar la respuesta del proveedor {tag}";
        await Page.GotoAsync($"/Cases/{ids.CaseId}");
        await Page.Locator("#case-new-task").ClickAsync();
        await Page.ActivityField("Vencimiento").FillAsync(ActivityUi.LocalInput(now.AddHours(2)));
        await SaveActivityAsync(task);
        var id = await Page.TimelineActivity(task).GetAttributeAsync("data-activity-id");
        return int.Parse(id ?? throw new InvalidOperationException("The task is not in the case's timeline."), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private async Task SaveActivityAsync(string subject)
    {
        await Page.ActivityField("Asunto").FillAsync(subject);
        await Page.SaveButton().ClickAsync();
        await Page.ExpectActivityCreatedAsync(subject);
    }

    private async Task<IReadOnlyList<string>> AdministratorPagesAsync()
    {
        var ids = await IdsAsync();
        return
        [
            "/", "/Contacts", "/Contacts/Create", $"/Contacts/{ids.ContactId}", $"/Contacts/{ids.ContactId}?tab=cases", $"/Contacts/{ids.ContactId}/Edit",
            $"/Contacts/{ids.ContactId}/Cases/Create", "/Accounts", "/Accounts/Create", $"/Accounts/{ids.AccountId}", $"/Accounts/{ids.AccountId}/Edit",
            "/Cases", "/Cases?view=all", $"/Cases/{ids.CaseId}", $"/Cases/{ids.CaseId}/Edit", $"/Cases/{ids.CaseId}/Resolve", $"/Cases/{ids.CaseId}/Cancel",
            $"/Cases/{ids.ParentId}", $"/Cases/{ids.ParentId}/Children/Create", $"/Cases/Associate?ids={ids.CaseId}&ids={ids.OtherCaseId}",
            $"/Cases/Merge?ids={ids.CaseId}&ids={ids.OtherCaseId}&find=a",
            $"/Cases/BulkEdit?ids={ids.CaseId}&ids={ids.OtherCaseId}", "/Cases/BulkEdit",
            "/Categories", "/Categories/Create", "/Settings/ParentChild", "/Users", "/Users/Create", $"/Users/{ids.UserId}/Edit",
            $"/Users/{ids.UserId}/Password", $"/Users/{ids.UserId}/Disable", "/Account/ChangePassword", "/Search?q=a", "/Cases?view=all&size=100&age=gt30",
            "/Mailboxes", "/Mailboxes/Create", "/QuickReplies", "/QuickReplies/Create", "/Import", "/ServiceLevels", "/ServiceLevels/Calendars/Create",
            "/ServiceLevels/Policies/Create", $"/Cases/{ids.CaseId}/Reply", $"/Cases/{ids.ParentId}/WriteToChildren",
            "/Reports", $"/Reports?From={DateTime.UtcNow.Year}-01-01&To={DateTime.UtcNow.Year}-12-31&GroupBy=Agent",
            "/Reports?From=2026-03-10&To=2026-03-01&GroupBy=Category",
            "/Cases/Views", "/Cases/Views/Create?view=all&priority=Urgent&assignee=none&sort=due&dir=asc",
        ];
    }

    private async Task CheckPagesAsync(IReadOnlyList<string> urls)
    {
        var failures = new List<string>();
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await Page.SetViewportSizeAsync(width, height);
            foreach (var url in urls)
            {
                await Page.GotoAsync(url);
                failures.AddRange(await ViolationsAsync($"{url} @{width}px"));
                var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
                if (widths[0] > widths[1])
                {
                    failures.Add($"{url} @{width}px: scrolls sideways ({widths[0]} > {widths[1]})");
                }
            }
        }

        await Page.SetViewportSizeAsync(1280, 800);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private async Task CheckCurrentAsync(string name)
    {
        var failures = await ViolationsAsync(name);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private async Task<List<string>> ViolationsAsync(string name)
    {
        if (!await Page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await Page.EvaluateAsync(AxeSource.Value);
        }

        var violations = await Page.EvaluateAsync<JsonElement>(
            "async tags => (await axe.run(document, { runOnly: { type: 'tag', values: tags } })).violations.map(v => " +
            "({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary) }))",
            Tags);
        var failures = violations.EnumerateArray()
            .Select(v => $"{name}: {v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}) {v.GetProperty("help").GetString()}\n    "
                + string.Join("\n    ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString())))
            .ToList();
        foreach (var failure in failures)
        {
            Output.WriteLine(failure);
        }

        return failures;
    }

    private sealed record Ids(int ContactId, int AccountId, int CaseId, int OtherCaseId, int ParentId, string UserId);

    /// <summary>One notification of each kind for the agent (the first one read), so that the bell and its list show them all.</summary>
    private async Task AddNotificationsAsync(Ids ids)
    {
        await using var scope = Fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var supervisor = await db.Users.Where(u => u.Email == DemoUsers.Supervisor.Email).Select(u => u.Id).SingleAsync();
        var now = DateTime.UtcNow;
        Notify.Add(db, ids.UserId, NotificationKind.Assigned, ids.CaseId, supervisor, now);
        Notify.Add(db, ids.UserId, NotificationKind.CustomerReplied, ids.CaseId, null, now);
        Notify.Add(db, ids.UserId, NotificationKind.AtRisk, ids.CaseId, null, now, ServiceTarget.FirstResponse);
        Notify.Add(db, ids.UserId, NotificationKind.Breached, ids.OtherCaseId, null, now, ServiceTarget.Resolution);
        Notify.Add(db, ids.UserId, NotificationKind.Mentioned, ids.OtherCaseId, supervisor, now);
        db.ChangeTracker.Entries<Notification>().First().Entity.MarkRead(now);
        await db.SaveChangesAsync();
    }

    private async Task<Ids> IdsAsync()
    {
        await using var scope = Fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var contact = await db.Contacts.Where(c => c.AccountId != null).OrderBy(c => c.Id).Select(c => new { c.Id, AccountId = c.AccountId!.Value }).FirstAsync();
        var cases = await db.Cases.Where(CaseStatuses.IsActiveCase).Where(c => c.ParentId == null && c.ChildCount == 0).OrderBy(c => c.Id).Select(c => c.Id).Take(2).ToListAsync();
        var parent = await db.Cases.Where(c => c.ChildCount > 0).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        var user = await db.Users.Where(u => u.Email == DemoUsers.Agent.Email).Select(u => u.Id).SingleAsync();
        return new Ids(contact.Id, contact.AccountId, cases[0], cases[1], parent, user);
    }
}
