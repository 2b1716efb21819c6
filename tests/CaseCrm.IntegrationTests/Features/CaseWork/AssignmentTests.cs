using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.CaseWork;

/// <summary>"Tomar caso", assigning a case (supervisors: anyone; agents: only themselves), "Mis casos" and the assignee in every list.</summary>
public sealed class AssignmentTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>
{
    [Fact]
    public async Task TakeCase_AssignsItToTheAgent_AndMisCasosListsIt()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Para tomar");
        var client = await factory.ClientAsync(Roles.Agent);
        var detail = await client.GetDocumentAsync($"/Cases/{item.Id}");
        Assert.Equal("(sin asignar)", detail.Text("#assignee"));
        Assert.Null(detail.QuerySelector($"form[action='/Cases/{item.Id}/Assign']"));
        var form = detail.GetForm(client, $"form[action='/Cases/{item.Id}/Take']");

        using var response = await form.PostAsync();

        Assert.Equal($"/Cases/{item.Id}", response.RedirectTarget());
        Assert.Equal(await factory.UserIdAsync(Agent), (await factory.CaseAsync(item.Id)).AssignedToId);
        var page = await client.FollowAsync(response);
        Assert.Equal("Ahora el caso es suyo.", page.Flash());
        Assert.Equal(Agent.DisplayName, page.Text("#assignee"));
        Assert.Null(page.QuerySelector("#take-case"));
        var mine = await client.GetDocumentAsync($"/Cases?view=mine&categoryId={data.Category.Id}");
        Assert.Equal([item.Id], mine.RowIds("#cases tbody tr[data-case-id]", "data-case-id"));
        Assert.Contains(Agent.DisplayName, mine.Text($"tr[data-case-id='{item.Id}']"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TakeCase_OfACaseAssignedToSomeoneElse_MovesItToTheAgent()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var supervisorId = await factory.UserIdAsync(Supervisor);
        await factory.Database.NewCaseService().AssignAsync(item.Id, supervisorId, supervisorId, isSupervisor: true);
        var client = await factory.ClientAsync(Roles.Agent);

        using var response = await (await client.GetFormAsync($"/Cases/{item.Id}", $"form[action='/Cases/{item.Id}/Take']")).PostAsync();

        Assert.Equal(await factory.UserIdAsync(Agent), (await factory.CaseAsync(item.Id)).AssignedToId);
    }

    [Fact]
    public async Task Agent_AssigningSomeoneElse_IsRefused_AndNothingChanges()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var supervisorId = await factory.UserIdAsync(Supervisor);
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        using var response = await client.PostWithTokenAsync($"/Cases/{item.Id}/Assign", Fields(("assigneeId", supervisorId)), $"/Cases/{item.Id}");

        Assert.Equal($"/Cases/{item.Id}", response.RedirectTarget());
        var page = await client.FollowAsync(response);
        Assert.Contains("Un agente solo puede tomar el caso para sí; asignarlo a otra persona corresponde a un supervisor.", page.Alerts(), StringComparison.Ordinal);
        Assert.Null(page.Flash());
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Agent_UnassigningACase_IsRefused()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var agentId = await factory.UserIdAsync(Agent);
        await factory.Database.NewCaseService().AssignAsync(item.Id, agentId, agentId, isSupervisor: false);
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        using var response = await client.PostWithTokenAsync($"/Cases/{item.Id}/Assign", Fields(("assigneeId", "")), $"/Cases/{item.Id}");

        Assert.Contains("Un agente solo puede tomar el caso para sí", (await client.FollowAsync(response)).Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Supervisor_AssignsAnyoneThroughTheForm_AndTheAgentsMisCasosListsIt()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Asignado por supervisión");
        var agentId = await factory.UserIdAsync(Agent);
        var supervisor = await factory.ClientAsync(Roles.Supervisor);
        var form = await supervisor.GetFormAsync($"/Cases/{item.Id}", $"form[action='/Cases/{item.Id}/Assign']");
        var offered = form.Element.QuerySelectorAll("select[name='assigneeId'] option").Select(o => o.Squashed()).ToList();
        Assert.Contains(Agent.DisplayName, offered);
        Assert.Contains(Supervisor.DisplayName, offered);

        using var response = await form.Set("assigneeId", agentId).PostAsync();

        Assert.Equal($"/Cases/{item.Id}", response.RedirectTarget());
        Assert.Equal(agentId, (await factory.CaseAsync(item.Id)).AssignedToId);
        Assert.Equal("Se cambió la asignación del caso.", (await supervisor.FollowAsync(response)).Flash());
        var agent = await factory.ClientAsync(Roles.Agent);
        var mine = await agent.GetDocumentAsync($"/Cases?view=mine&categoryId={data.Category.Id}");
        Assert.Equal([item.Id], mine.RowIds("#cases tbody tr[data-case-id]", "data-case-id"));

        using var unassigned = await (await supervisor.GetFormAsync($"/Cases/{item.Id}", $"form[action='/Cases/{item.Id}/Assign']"))
            .Set("assigneeId", "").PostAsync();
        Assert.Null((await factory.CaseAsync(item.Id)).AssignedToId);
        Assert.Empty((await agent.GetDocumentAsync($"/Cases?view=mine&categoryId={data.Category.Id}")).QuerySelectorAll("#cases tbody tr"));
    }

    [Fact]
    public async Task Supervisor_AssigningADisabledOrUnknownUser_IsRefused_AndNothingChanges()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var disabled = await factory.NewUserAsync(Roles.Agent, active: false);
        var supervisor = await factory.ClientAsync(Roles.Supervisor);
        var form = await supervisor.GetFormAsync($"/Cases/{item.Id}", $"form[action='/Cases/{item.Id}/Assign']");
        Assert.DoesNotContain(disabled.Id, form.Element.QuerySelectorAll("select[name='assigneeId'] option").Select(o => o.GetAttribute("value")));
        var before = await factory.SnapshotAsync();

        using var toDisabled = await form.Set("assigneeId", disabled.Id).PostAsync();
        var first = await supervisor.FollowAsync(toDisabled);
        using var toNobody = await supervisor.PostWithTokenAsync($"/Cases/{item.Id}/Assign", Fields(("assigneeId", "no-existe")), $"/Cases/{item.Id}");
        var second = await supervisor.FollowAsync(toNobody);

        Assert.Contains("La persona elegida no existe o está desactivada.", first.Alerts(), StringComparison.Ordinal);
        Assert.Contains("La persona elegida no existe o está desactivada.", second.Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task TheAssignee_IsShownInEveryCaseList()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(1);
        var agentId = await factory.UserIdAsync(Agent);
        var service = factory.Database.NewCaseService();
        await service.AssignAsync(parent.Id, agentId, agentId, isSupervisor: true);
        await service.AssignAsync(children[0].Id, agentId, agentId, isSupervisor: true);
        var client = await factory.ClientAsync(Roles.Supervisor);

        var caseList = await client.GetDocumentAsync($"/Cases?view=all&categoryId={data.Category.Id}");
        var contactTab = await client.GetDocumentAsync($"/Contacts/{data.Contact.Id}?tab=cases");
        var accountTab = await client.GetDocumentAsync($"/Accounts/{data.Account.Id}?tab=cases");
        var family = await client.GetDocumentAsync($"/Cases/{parent.Id}?tab=relations");

        Assert.Contains(Agent.DisplayName, caseList.Text($"#cases tr[data-case-id='{parent.Id}']"), StringComparison.Ordinal);
        Assert.Contains(Agent.DisplayName, contactTab.Text($"#contact-cases tr[data-case-id='{parent.Id}']"), StringComparison.Ordinal);
        Assert.All(accountTab.QuerySelectorAll("table.list tbody tr"), row => Assert.Contains(Agent.DisplayName, row.Squashed(), StringComparison.Ordinal));
        Assert.Contains(Agent.DisplayName, family.Text($"#children tr[data-case-id='{children[0].Id}']"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Take_OfAnUnknownCase_Answers404()
    {
        var client = await factory.ClientAsync(Roles.Agent);

        using var response = await client.PostWithTokenAsync("/Cases/999999/Take");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Assign_ChangesAreRecordedInTheHistoryWithTheNames()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        using (var taken = await (await client.GetFormAsync($"/Cases/{item.Id}", $"form[action='/Cases/{item.Id}/Take']")).PostAsync())
        {
            Assert.Equal($"/Cases/{item.Id}", taken.RedirectTarget());
        }

        var entry = Assert.Single(await factory.HistoryAsync(item.Id), h => h.Field == HistoryField.AssignedTo);
        Assert.Equal(((string?)null, await factory.UserIdAsync(Agent)), (entry.OldValue, entry.NewValue));
        var history = await client.GetDocumentAsync($"/Cases/{item.Id}?tab=history");
        var row = history.Text("#history-list tr[data-field='AssignedTo']");
        Assert.Contains("Asignado a", row, StringComparison.Ordinal);
        Assert.Contains(Agent.DisplayName, row, StringComparison.Ordinal);
    }
}
