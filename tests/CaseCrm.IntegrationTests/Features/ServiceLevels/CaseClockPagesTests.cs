using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.ServiceLevels;

/// <summary>
/// The clock of each case through the pages, on SQLite and PostgreSQL, with a calendar that works around the clock (so
/// working time is wall time and the expected due times read plainly): a new case is due by its policy; a priority
/// change chooses the other policy keeping the time spent; En espera stops the clock and going back resumes it; an
/// outgoing call is the first response; the list's "Vence" column sorts by the due time and filters at risk and breached.
/// </summary>
public abstract class CaseClockPagesTests(CrmWebFactory factory)
{
    [Fact]
    public async Task ANewCase_IsDueByItsPolicy_AndThePageAndTheListShowIt()
    {
        var (data, policies) = await ArrangeAsync();

        var item = await data.UniqueCaseAsync("Plazo", priority: CasePriority.Normal);

        var stored = await factory.CaseAsync(item.Id);
        Assert.Equal(policies.Normal, stored.ServicePolicyId);
        var since = stored.ClockRunningSince!.Value;
        Assert.Equal((since.AddHours(4), since.AddHours(40), since.AddHours(4)), (stored.FirstResponseDueAt, stored.ResolutionDueAt, stored.DueAt));
        Assert.Equal(since.AddMinutes(4 * 60 * 0.8), stored.AtRiskAt);
        var client = await factory.ClientAsync(Roles.Agent);
        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");
        Assert.StartsWith("En plazo vence el", page.Text("[data-testid='sla-first-response']"), StringComparison.Ordinal);
        Assert.StartsWith("En plazo vence el", page.Text("[data-testid='sla-resolution']"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APriorityChange_KeepsTheTimeSpent_AndEnEsperaStopsTheClock()
    {
        var (data, policies) = await ArrangeAsync();
        var item = await data.UniqueCaseAsync("Prioridad", priority: CasePriority.Normal);
        var client = await factory.ClientAsync(Roles.Agent);

        await EditAsync(client, item.Id, CasePriority.Urgent, CaseStatus.InProgress);

        var urgent = await factory.CaseAsync(item.Id);
        Assert.Equal((policies.Urgent, 60, 8 * 60), (urgent.ServicePolicyId, urgent.FirstResponseTargetMinutes, urgent.ResolutionTargetMinutes));
        Assert.InRange(urgent.ClockSpentSeconds, 0, 60);
        Assert.Equal(urgent.ClockRunningSince!.Value.AddSeconds(3600 - urgent.ClockSpentSeconds), urgent.FirstResponseDueAt);

        await EditAsync(client, item.Id, CasePriority.Urgent, CaseStatus.OnHold);

        var waiting = await factory.CaseAsync(item.Id);
        Assert.Equal((null, null, null, Case.NoDueTime), (waiting.ClockRunningSince, waiting.DueAt, waiting.NextNoticeAt, waiting.DueSort));
        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");
        Assert.Contains("en pausa: quedan", page.Text("[data-testid='sla-first-response']"), StringComparison.Ordinal);

        await EditAsync(client, item.Id, CasePriority.Urgent, CaseStatus.InProgress);

        var resumed = await factory.CaseAsync(item.Id);
        Assert.Equal(waiting.ClockSpentSeconds, resumed.ClockSpentSeconds);
        Assert.Equal(resumed.ClockRunningSince!.Value.AddSeconds(3600 - resumed.ClockSpentSeconds), resumed.FirstResponseDueAt);
        Assert.Equal(resumed.FirstResponseDueAt, resumed.DueSort);
    }

    [Fact]
    public async Task AnOutgoingCall_IsTheFirstResponse_AndTheCaseIsThenDueForResolution()
    {
        var (data, _) = await ArrangeAsync();
        var item = await data.UniqueCaseAsync("Llamada", priority: CasePriority.Normal);
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Activities/Create?type=Call&regardingType=Case&regardingId={item.Id}&returnUrl=/Cases/{item.Id}", "#activity-form");

        using (var response = await form.Set("Subject", "Devolvimos la llamada " + Token()).Set("Direction", "Outgoing").Set("DurationMinutes", 3).PostAsync())
        {
            Assert.Equal($"/Cases/{item.Id}", response.RedirectTarget());
        }

        var answered = await factory.CaseAsync(item.Id);
        Assert.NotNull(answered.FirstRespondedAt);
        Assert.Equal(ServiceLevelState.Met, answered.FirstResponseState(DateTime.UtcNow));
        Assert.Null(answered.FirstResponseDueAt);
        Assert.Equal(answered.ResolutionDueAt, answered.DueAt);
        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");
        Assert.StartsWith("Cumplido respondido el", page.Text("[data-testid='sla-first-response']"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheList_SortsByVence_AndFiltersAtRiskAndBreached()
    {
        var (data, _) = await ArrangeAsync();
        var later = await data.UniqueCaseAsync("Luego", priority: CasePriority.Normal);
        var sooner = await data.UniqueCaseAsync("Antes", priority: CasePriority.Urgent);
        var waiting = await data.UniqueCaseAsync("Espera", status: CaseStatus.OnHold, priority: CasePriority.Normal);
        var client = await factory.ClientAsync(Roles.Agent);

        var sorted = await client.GetDocumentAsync($"/Cases?categoryId={data.Category.Id}&sort=due");

        Assert.Equal([sooner.Id, later.Id, waiting.Id], sorted.RowIds("#cases tbody tr", "data-case-id"));
        Assert.Contains("En plazo", sorted.Text($"tr[data-case-id='{sooner.Id}'] [data-due]"), StringComparison.Ordinal);
        Assert.Equal("", sorted.Text($"tr[data-case-id='{waiting.Id}'] [data-due]"));

        // One case past its due time, one past its at-risk moment: the filters read the stored times.
        var now = DateTime.UtcNow;
        await factory.InDbAsync(db => db.Cases.Where(c => c.Id == later.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.DueAt, now.AddMinutes(-5)).SetProperty(c => c.AtRiskAt, now.AddMinutes(-30)).SetProperty(c => c.DueSort, now.AddMinutes(-5))));
        await factory.InDbAsync(db => db.Cases.Where(c => c.Id == sooner.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.DueAt, now.AddMinutes(30)).SetProperty(c => c.AtRiskAt, now.AddMinutes(-1)).SetProperty(c => c.DueSort, now.AddMinutes(30))));

        var breached = await client.GetDocumentAsync($"/Cases?categoryId={data.Category.Id}&sla=breached");
        var atRisk = await client.GetDocumentAsync($"/Cases?categoryId={data.Category.Id}&sla=atrisk");
        var nonsense = await client.GetDocumentAsync($"/Cases?categoryId={data.Category.Id}&sla=%3Cscript%3E&sort=due&dir=sideways");

        Assert.Equal([later.Id], breached.RowIds("#cases tbody tr", "data-case-id"));
        Assert.Contains("Incumplido", breached.Text($"tr[data-case-id='{later.Id}'] [data-due]"), StringComparison.Ordinal);
        Assert.Equal([sooner.Id], atRisk.RowIds("#cases tbody tr", "data-case-id"));
        Assert.Contains("En riesgo", atRisk.Text($"tr[data-case-id='{sooner.Id}'] [data-due]"), StringComparison.Ordinal);
        Assert.Equal(3, nonsense.RowIds("#cases tbody tr", "data-case-id").Count);
    }

    [Fact]
    public async Task APolicysAtRiskShare_OutsideOneToNinetyNine_IsRefusedBesideTheField()
    {
        var client = await factory.ClientAsync(Roles.Administrator);
        var name = "Riesgo " + Token();
        var calendarId = await factory.InDbAsync(db => db.ServiceCalendars.Where(c => c.Name == "México (Ciudad de México)").Select(c => c.Id).SingleAsync());
        var form = (await client.GetFormAsync("/ServiceLevels/Policies/Create", "#policy-form"))
            .Set("Name", name).Set("CalendarId", calendarId).Set("Priority", CasePriority.Low).Set("CategoryId", (await factory.NewDataAsync()).Category.Id).Set("AtRiskPercent", 0);

        using var refused = await form.PostAsync();

        var page = await refused.PageAsync();
        Assert.Equal("El aviso «en riesgo» debe estar entre el 1 % y el 99 % del objetivo.", page.FieldError("AtRiskPercent"));
        Assert.False(await factory.InDbAsync(db => db.ServicePolicies.AnyAsync(p => p.Name == name)));
    }

    private static async Task EditAsync(HttpClient client, int caseId, CasePriority priority, CaseStatus status)
    {
        var form = await client.GetFormAsync($"/Cases/{caseId}/Edit", "#case-form");
        using var response = await form.Set("Priority", priority).Set("Status", status).PostAsync();
        Assert.Equal($"/Cases/{caseId}", response.RedirectTarget());
    }

    /// <summary>A new category with its own policies (Normal 4 h / 40 h, Urgent 1 h / 8 h) in a calendar that never stops.</summary>
    private async Task<(FeatureData Data, (int Normal, int Urgent) Policies)> ArrangeAsync()
    {
        var data = await factory.NewDataAsync();
        return (data, await AroundTheClock.PoliciesAsync(factory, data.Category.Id));
    }

    public sealed class Sqlite(SqliteWebFactory factory) : CaseClockPagesTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : CaseClockPagesTests(factory), IClassFixture<PostgresWebFactory>;
}
