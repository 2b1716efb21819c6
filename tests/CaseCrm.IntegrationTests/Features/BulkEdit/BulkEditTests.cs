using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Notifications;
using CaseCrm.IntegrationTests.Features.ServiceLevels;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.BulkEdit;

/// <summary>
/// "Editar seleccionados" through its page, on SQLite and PostgreSQL: a supervisor changes twenty cases in one step (a
/// history row per case and field, the assignee told of each, the due times following the new priority); a refusal names
/// every refused case and changes nothing; an agent is refused; bad input is said beside the form.
/// </summary>
public abstract class BulkEditTests(CrmWebFactory factory)
{
    [Fact]
    public async Task ASupervisor_ReassignsTwentyCases_AndRaisesTheirPriority_InOneStep()
    {
        var (data, urgentPolicy) = await ArrangeAsync();
        var cases = new List<Case>();
        for (var i = 0; i < 20; i++)
        {
            cases.Add(await data.UniqueCaseAsync("Masivo", priority: CasePriority.Normal));
        }

        var assignee = await factory.NewUserAsync(Roles.Agent);
        var supervisorId = await factory.UserIdAsync(Supervisor);
        var client = await factory.ClientAsync(Roles.Supervisor);

        var page = await client.GetDocumentAsync(BulkEditUrl(cases.Select(c => c.Id)));
        Assert.Equal(cases.Select(c => c.Id), page.RowIds("#bulk-edit-cases tbody tr", "data-case-id"));
        var form = page.GetForm(client, "#bulk-edit-form");
        using var response = await form.Set("AssignTo", assignee.Id).Set("Priority", CasePriority.Urgent).PostAsync();

        Assert.Equal("/Cases", response.RedirectTarget());
        var list = await client.FollowAsync(response);
        Assert.Equal("Se actualizaron 20 casos.", list.Flash());
        var stored = await factory.InDbAsync(db => db.Cases.AsNoTracking().Where(c => cases.Select(x => x.Id).Contains(c.Id)).OrderBy(c => c.Id).ToListAsync());
        var notifications = await factory.InDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.UserId == assignee.Id).ToListAsync());
        foreach (var item in stored)
        {
            var before = cases.Single(c => c.Id == item.Id);
            Assert.Equal((assignee.Id, CasePriority.Urgent, supervisorId), (item.AssignedToId, item.Priority, item.UpdatedById));
            Assert.True(item.Version > before.Version, $"Case {item.Id} kept its version {item.Version}.");
            // The urgent policy (1 h / 8 h) now counts, from the time already spent.
            Assert.Equal((urgentPolicy, 60, 8 * 60), (item.ServicePolicyId, item.FirstResponseTargetMinutes, item.ResolutionTargetMinutes));
            Assert.Equal(item.ClockRunningSince!.Value.AddSeconds(3600 - item.ClockSpentSeconds), item.FirstResponseDueAt);
            var history = (await factory.HistoryAsync(item.Id)).Where(h => h.Field != HistoryField.Created).ToList();
            Assert.Equal(
                new (HistoryField, string?, string?)[] { (HistoryField.Priority, "Normal", "Urgent"), (HistoryField.AssignedTo, null, assignee.Id) },
                history.OrderBy(h => h.Field == HistoryField.AssignedTo).Select(h => (h.Field, h.OldValue, h.NewValue)).ToList());
            var notification = Assert.Single(notifications, n => n.CaseId == item.Id);
            Assert.Equal((NotificationKind.Assigned, supervisorId), (notification.Kind, notification.ActorId));
        }

        Assert.Equal(20, notifications.Count);
        // The list shows the new assignee on the edited cases.
        var rows = list.QuerySelectorAll("#cases tbody tr").Where(r => cases.Any(c => r.GetAttribute("data-case-id") == Invariant(c.Id))).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains(assignee.DisplayName, r.TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unassigning_AndPuttingOnHold_StopsTheClocks_AndTellsNobody()
    {
        var (data, _) = await ArrangeAsync();
        var cases = new[] { await data.UniqueCaseAsync("Espera", priority: CasePriority.Normal), await data.UniqueCaseAsync("Espera", priority: CasePriority.Normal) };
        var agentId = await factory.UserIdAsync(Agent);
        foreach (var item in cases)
        {
            await factory.Database.NewCaseService().AssignAsync(item.Id, agentId, agentId, isSupervisor: false);
        }

        var notificationsBefore = await factory.InDbAsync(db => db.Notifications.CountAsync());
        var client = await factory.ClientAsync(Roles.Supervisor);
        var form = await client.GetFormAsync(BulkEditUrl(cases.Select(c => c.Id)), "#bulk-edit-form");

        using var response = await form.Set("AssignTo", "none").Set("Status", CaseStatus.OnHold).PostAsync();

        Assert.Equal("Se actualizaron 2 casos.", (await client.FollowAsync(response)).Flash());
        foreach (var item in cases)
        {
            var stored = await factory.CaseAsync(item.Id);
            Assert.Equal((null, null, CaseStatus.OnHold), (stored.AssignedToId, stored.AssignedAt, stored.Status));
            Assert.Equal((null, null, Case.NoDueTime), (stored.ClockRunningSince, stored.DueAt, stored.DueSort));
            var history = (await factory.HistoryAsync(item.Id)).Where(h => h.Field is HistoryField.Status or HistoryField.AssignedTo).TakeLast(2);
            Assert.Equal(new (HistoryField, string?, string?)[] { (HistoryField.Status, "New", "OnHold"), (HistoryField.AssignedTo, agentId, null) },
                history.OrderBy(h => h.Field == HistoryField.AssignedTo).Select(h => (h.Field, h.OldValue, h.NewValue)).ToList());
        }

        Assert.Equal(notificationsBefore, await factory.InDbAsync(db => db.Notifications.CountAsync()));
    }

    [Fact]
    public async Task ARefusal_NamesEveryRefusedCase_AndChangesNothing()
    {
        var data = await factory.NewDataAsync();
        var open = new[] { await data.UniqueCaseAsync("Rechazo"), await data.UniqueCaseAsync("Rechazo") };
        var closed = await data.UniqueCaseAsync("Rechazo");
        await factory.ResolveAsync(closed.Id, data.User.Id);
        var category = await data.CategoryAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var form = await client.GetFormAsync(BulkEditUrl([open[0].Id, closed.Id, open[1].Id]), "#bulk-edit-form");
        form.Set("CategoryId", category.Id).Set("Priority", CasePriority.High);
        // Deactivated while the form was open.
        await factory.InDbAsync(db => db.Categories.Where(c => c.Id == category.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.IsActive, false)));
        var before = await factory.SnapshotAsync();

        using var response = await form.PostAsync();

        var page = await response.PageAsync();
        Assert.Contains("No se cambió ningún caso. Estos casos no admiten el cambio:", page.Text("#bulk-edit-errors"), StringComparison.Ordinal);
        Assert.Equal(
            new[]
            {
                $"{Number(open[0].Id)}: La categoría elegida no existe o ya no está activa.",
                $"{Number(open[1].Id)}: La categoría elegida no existe o ya no está activa.",
                $"El caso {Number(closed.Id)} está cerrado: reábralo antes de cambiar su prioridad, categoría o estado.",
            },
            page.QuerySelectorAll("#bulk-edit-errors li").Select(li => li.Squashed()).Order(StringComparer.Ordinal).ToList());
        await factory.AssertUnchangedAsync(before);
        // The form is shown again with the choices made.
        Assert.Equal("High", page.GetForm(client, "#bulk-edit-form").Get("Priority"));
    }

    [Fact]
    public async Task AssigningAClosedCase_IsRefusedNamingIt_AndTheOthersStayAsTheyWere()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Cerrado");
        var closed = await data.UniqueCaseAsync("Cerrado");
        await factory.ResolveAsync(closed.Id, data.User.Id);
        var client = await factory.ClientAsync(Roles.Supervisor);
        var form = await client.GetFormAsync(BulkEditUrl([item.Id, closed.Id]), "#bulk-edit-form");
        var before = await factory.SnapshotAsync();

        using var response = await form.Set("AssignTo", "none").PostAsync();

        var page = await response.PageAsync();
        Assert.Equal(new[] { $"El caso {Number(closed.Id)} está cerrado: reábralo antes de tomarlo o asignarlo." },
            page.QuerySelectorAll("#bulk-edit-errors li").Select(li => li.Squashed()).ToList());
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task AnAgent_IsRefused_AndNothingChanges()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Agente");
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        Assert.Equal(HttpStatusCode.Forbidden, await client.StatusOfGetAsync(BulkEditUrl([item.Id])));
        using var response = await client.PostWithTokenAsync("/Cases/BulkEdit",
            Fields(("Ids", item.Id), ("AssignTo", "none"), ("Priority", "Urgent")), "/Cases");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await factory.AssertUnchangedAsync(before);
        // Nor does the list offer the selection.
        var list = await client.GetDocumentAsync("/Cases");
        Assert.Null(list.QuerySelector("#bulk-edit-button"));
    }

    [Fact]
    public async Task TheList_OffersEditarSeleccionados_ForTheSelection()
    {
        var client = await factory.ClientAsync(Roles.Supervisor);

        var list = await client.GetDocumentAsync("/Cases");

        var button = list.QuerySelector("#bulk-edit-button")!;
        Assert.Equal("Editar seleccionados", button.Squashed());
        Assert.Equal("case-selection", button.GetAttribute("form") ?? button.Closest("form")?.Id);
        Assert.Equal("/Cases/BulkEdit", button.GetAttribute("formaction"));
    }

    [Fact]
    public async Task NoChangeChosen_NoSelection_OrTooMany_AreSaid_AndNothingChanges()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Nada");
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        using (var response = await (await client.GetFormAsync(BulkEditUrl([item.Id]), "#bulk-edit-form")).PostAsync())
        {
            Assert.Contains("Elija al menos un cambio.", (await response.PageAsync()).Alerts(), StringComparison.Ordinal);
        }

        Assert.Contains("Seleccione al menos un caso en la lista.", (await client.GetDocumentAsync("/Cases/BulkEdit")).Alerts(), StringComparison.Ordinal);
        var tooMany = await client.GetDocumentAsync(BulkEditUrl(Enumerable.Range(1, 201)));
        Assert.Contains("Puede editar a la vez hasta 200 casos; seleccionó 201.", tooMany.Alerts(), StringComparison.Ordinal);
        Assert.Null(tooMany.QuerySelector("#bulk-edit-form"));
        using (var forged = await client.PostWithTokenAsync("/Cases/BulkEdit",
            Enumerable.Range(1, 201).Select(i => KeyValuePair.Create("Ids", Invariant(i))).Concat(Fields(("Priority", "High"))), "/Cases"))
        {
            Assert.Contains("Puede editar a la vez hasta 200 casos; seleccionó 201.", (await forged.PageAsync()).Alerts(), StringComparison.Ordinal);
        }

        await factory.AssertUnchangedAsync(before);
    }

    private static string BulkEditUrl(IEnumerable<int> ids) => "/Cases/BulkEdit?" + string.Join("&", ids.Select(id => "ids=" + Invariant(id)));

    /// <summary>A new category with an urgent policy (1 h / 8 h) and a normal one (4 h / 40 h) in a calendar that never stops.</summary>
    private async Task<(FeatureData Data, int UrgentPolicy)> ArrangeAsync()
    {
        var data = await factory.NewDataAsync();
        return (data, (await AroundTheClock.PoliciesAsync(factory, data.Category.Id)).Urgent);
    }

    public sealed class Sqlite(SqliteWebFactory factory) : BulkEditTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : BulkEditTests(factory), IClassFixture<PostgresWebFactory>;
}
