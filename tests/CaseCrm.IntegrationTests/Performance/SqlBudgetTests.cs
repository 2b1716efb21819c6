using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Features.Api;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Performance;

/// <summary>
/// The SQL budgets (docs/performance.md): how many commands each page sends to the database, counted per request by
/// <see cref="SqlCommandCounter"/>, with the production cache of reference data (ADR 0012), so categories, users and
/// settings count zero. Each measured request follows a warm-up request of the same
/// client, so that what happens only now and then (the sign-in cookie's security stamp check, once a minute; loading
/// the data protection keys) is not counted. Budgets are round trips: a batch of statements EF sends at once is one.
/// </summary>
public abstract class SqlBudgetTests(CrmWebFactory factory, ITestOutputHelper output)
{
    private static readonly string AgentEmail = DbInitializer.DemoUsers.Single(u => u.Role == Roles.Agent).Email;

    // One TestData per app: its rows are named by a sequence of its own, and names such as a category's are unique.
    private static readonly ConcurrentDictionary<CrmWebFactory, Lazy<Task<TestData>>> Data = new();

    private Task<TestData> DataAsync() =>
        Data.GetOrAdd(factory, f => new Lazy<Task<TestData>>(() => TestData.CreateAsync(f.Database, AgentEmail))).Value;

    /// <summary>The API reference page and the document it reads are made from code, not data: no command at all.</summary>
    [Theory]
    [InlineData("/scalar/")]
    [InlineData("/openapi/v1.json")]
    public async Task TheApiReferencePage_AndTheOpenApiDocument_TakeNoCommand(string url)
    {
        using var client = factory.CreateBrowserClient();
        using (var warmUp = await client.GetAsync(new Uri(url, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        using var sql = factory.SqlCommands.Measure(client);
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(sql.Commands.Count == 0, $"GET {url} took {sql.Commands.Count} commands:{Environment.NewLine}{sql.Describe()}");
    }

    [Fact]
    public async Task ContactList_WithSearchAndSort_TakesOneCommand()
    {
        var data = await DataAsync();
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);

        await AssertBudgetAsync(client, "/Contacts?q=apellido", 1);
        await AssertBudgetAsync(client, "/Contacts?q=apellido&sort=account&dir=desc&page=2", 1);
        await AssertBudgetAsync(client, $"/Contacts?q={Uri.EscapeDataString(data.Account.Name)}", 1);
    }

    [Fact]
    public async Task ContactDetail_WithItsCasesTab_TakesAtMostTwoCommands()
    {
        var data = await DataAsync();
        var contact = await data.ContactAsync(data.Account);
        for (var i = 0; i < 27; i++)
        {
            await data.CaseAsync(contact);
        }

        var client = await factory.CreateSignedInClientAsync(Roles.Agent);

        var sql = await AssertBudgetAsync(client, $"/Contacts/{contact.Id}?tab=cases", 2);
        await AssertBudgetAsync(client, $"/Contacts/{contact.Id}?tab=cases&page=2", 2);
        await AssertBudgetAsync(client, $"/Contacts/{contact.Id}", 2);
        Assert.NotEmpty(sql);
    }

    [Theory]
    [InlineData("/Cases")]
    [InlineData("/Cases?view=all&sort=title")]
    [InlineData("/Cases?view=mine&status=New")]
    [InlineData("/Cases?status=New&priority=High&q=caso&sort=priority&dir=desc")]
    [InlineData("/Cases?view=all&assignee=none&sort=number&page=2")]
    [InlineData("/Cases?view=mine&sort=due")]
    [InlineData("/Cases?sla=atrisk&sort=due&dir=desc")]
    [InlineData("/Cases?sla=breached&priority=Urgent")]
    public async Task CaseList_WithFilters_TakesTwoCommands_ThePageAndTheSavedViews_TheFiltersChoicesComeFromTheCache(string url)
    {
        var data = await DataAsync();
        await data.CaseAsync(fields: data.Fields(priority: CasePriority.High));
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);

        // The page with its count, and the user's saved views for the tabs (issue 19).
        await AssertBudgetAsync(client, url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"categoryId={data.Category.Id}", 2);
        await AssertBudgetAsync(client, url, 2);
    }

    // "Exportar CSV": the whole list in one statement, read as it is written out (no layout, so no bell).
    [Theory]
    [InlineData("/Cases/Export?view=all&sort=title")]
    [InlineData("/Cases/Export?status=New&priority=High&q=caso&sort=due")]
    [InlineData("/Contacts/Export?q=apellido&sort=account")]
    [InlineData("/Contacts/Export")]
    [InlineData("/Accounts/Export?q=cuenta&sort=taxid&dir=desc")]
    [InlineData("/Activities/Export?view=All")]
    [InlineData("/Activities/Export?view=Today")]
    public async Task ListExports_TakeOneCommand(string url)
    {
        var data = await DataAsync();
        await data.CaseAsync(fields: data.Fields(priority: CasePriority.High));
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);
        using (var warmUp = await client.GetAsync(new Uri(url, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        using var sql = factory.SqlCommands.Measure(client);
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsByteArrayAsync();
        Assert.True(sql.Commands.Count == 1, $"GET {url} took {sql.Commands.Count} commands:{Environment.NewLine}{sql.Describe()}");
    }

    // Importar: the upload form and the preview read no table (the preview reads the uploaded file).
    [Fact]
    public async Task ImportPages_TakeNoCommand()
    {
        var client = await factory.CreateSignedInClientAsync(Roles.Administrator);
        await AssertBudgetAsync(client, "/Import", 0);
        var form = await client.GetFormAsync("/Import", "#import-upload");
        using var upload = await form.Set("Kind", "Contacts").AttachFile("File", "c.csv", "Nombre;Apellidos\nAna;Ruiz\n"u8.ToArray(), "text/csv").PostAsync();
        await AssertBudgetAsync(client, upload.Headers.Location!.OriginalString, 0);
    }

    // Agent: the visit's UPDATE (at most once a minute), the open cases with their count, those assigned since the last
    // visit, the next cases by due time, and the at-risk and breached counts in one statement. Supervisor (figures shared
    // for 30 s): the open cases grouped, the recent ones by age, at risk and breached by agent (one UNION ALL), created and
    // resolved per day (one UNION ALL).
    [Theory]
    [InlineData(Roles.Agent, 5)]
    [InlineData(Roles.Supervisor, 4)]
    public async Task StartPage_TakesABoundedNumberOfCommands(string role, int budget)
    {
        var data = await DataAsync();
        await data.CaseAsync();
        var client = await factory.CreateSignedInClientAsync(role);

        await AssertBudgetAsync(client, "/", budget);
    }

    // Informes: two statements per measure (the summary's coarse cells with the cases of the live hours, then the fine
    // cells of the medians' bands; ADR 0040), one more for the agents' or categories' names; the same count with one case
    // in the period as with several.
    [Theory]
    [InlineData("Week", 4)]
    [InlineData("Month", 4)]
    [InlineData("Agent", 5)]
    [InlineData("Category", 5)]
    public async Task Report_TakesAFixedNumberOfCommands_WhateverTheData(string groupBy, int budget)
    {
        var data = await DataAsync();
        var client = await factory.CreateSignedInClientAsync(Roles.Supervisor);
        var url = $"/Reports?From=2024-01-01&To=2026-12-31&GroupBy={groupBy}";
        var before = (await AssertBudgetAsync(client, url, budget)).Count;

        foreach (var status in new[] { CaseStatus.Resolved, CaseStatus.Resolved, CaseStatus.InProgress })
        {
            await data.CaseAsync(fields: data.Fields(resolution: "Resuelto."), status: status);
        }

        Assert.Equal(before, (await AssertBudgetAsync(client, url, budget)).Count);
    }

    // "Combinar casos": the selected rows, what each holds (counted in one statement), and the rules' dry run (the cases
    // with the merged parents' children; the settings come from the cache); the same for 2 cases as for 10.
    [Fact]
    public async Task MergePreview_TakesTheSameCommands_ForTwoAndForTenCases()
    {
        var data = await DataAsync();
        var cases = await data.CasesAsync(9);
        var (parent, _) = await data.FamilyAsync(3);
        var client = await factory.CreateSignedInClientAsync(Roles.Supervisor);
        string Url(IEnumerable<int> ids) => "/Cases/Merge?" + string.Join("&", ids.Select(id => "ids=" + id.ToString(CultureInfo.InvariantCulture)));

        var forTwo = (await AssertBudgetAsync(client, Url(cases.Take(2).Select(c => c.Id)), 3)).Count;
        var forTen = (await AssertBudgetAsync(client, Url(cases.Select(c => c.Id).Append(parent.Id)), 3)).Count;

        Assert.Equal(forTwo, forTen);
    }

    [Fact]
    public async Task QuickSearch_TakesAtMostTwoCommands()
    {
        var data = await DataAsync();
        var word = "budget" + Guid.NewGuid().ToString("N")[..8];
        await data.ContactAsync(lastName: word);
        await data.ContactAsync(lastName: word);
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);

        await AssertBudgetAsync(client, "/Search?q=" + word, 2);
    }

    [Fact]
    public async Task AccountList_WithItsCount_TakesOneCommand()
    {
        await DataAsync();
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);

        await AssertBudgetAsync(client, "/Accounts?q=cuenta&size=50", 1);
    }

    [Theory]
    [InlineData(Roles.Agent)]
    [InlineData(Roles.Supervisor)]
    public async Task CaseDetail_TakesAtMostThreeCommandsOnEachTab(string role)
    {
        var data = await DataAsync();
        var (parent, children) = await data.FamilyAsync(3);
        var service = factory.Database.NewCaseService();
        await service.AddCommentAsync(parent.Id, "Primer comentario.", data.User.Id);
        await service.AddAttachmentsAsync(parent.Id, [UploadedFile.Of("nota.txt", "hola"u8.ToArray())], data.User.Id);
        await service.UpdateAsync(parent.Id, (await factory.Database.FindCaseAsync(parent.Id)).Version,
            data.Fields(title: "Otro título", priority: CasePriority.Urgent, accountId: data.Account.Id), CaseStatus.InProgress, data.User.Id);
        var client = await factory.CreateSignedInClientAsync(role);

        await AssertBudgetAsync(client, $"/Cases/{parent.Id}", 3);
        await AssertBudgetAsync(client, $"/Cases/{children[0].Id}", 3);
        await AssertBudgetAsync(client, $"/Cases/{parent.Id}?tab=relations", 2);
        await AssertBudgetAsync(client, $"/Cases/{parent.Id}?tab=history", 2);
    }

    [Fact]
    public async Task CreateCase_FromTheContact_TakesAtMostFourCommands()
    {
        var data = await DataAsync();
        var contact = await data.ContactAsync(data.Account);
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);
        // The form itself is the warm-up request.
        var form = await client.GetFormAsync($"/Contacts/{contact.Id}/Cases/Create");
        form.Set("Title", "Presupuesto presupuestado").Set("CategoryId", data.Category.Id).Set("Description", "Medido en la prueba.");

        HttpResponseMessage response;
        using (var sql = factory.SqlCommands.Measure(client))
        {
            response = await form.PostAsync();
            output.WriteLine($"POST create case: {sql.Count} commands");
            // The contact with the references, the service-level policies (ADR 0022: the new case's due times), the insert,
            // the history.
            Assert.True(sql.Count <= 4, $"POST create case took {sql.Count} commands (budget 4):{Environment.NewLine}{sql.Describe()}");
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        var created = await factory.InDbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.ContactId == contact.Id));
        Assert.Equal("Presupuesto presupuestado", created.Title);
        Assert.Equal(data.Account.Id, created.AccountId);
        var history = await factory.InDbAsync(db => db.CaseHistory.AsNoTracking().Where(h => h.CaseId == created.Id).ToListAsync());
        Assert.Equal(created.Number, Assert.Single(history, h => h.Field == HistoryField.Created).NewValue);
    }

    // The API's case list: one statement whatever the page (keyset: no count, no saved views), as cheap on the last page as
    // on the first; the page's list takes 2.
    [Theory]
    [InlineData("/api/v1/cases")]
    [InlineData("/api/v1/cases?view=all&sort=due&limit=100")]
    [InlineData("/api/v1/cases?view=mine&sort=due&dir=desc")]
    [InlineData("/api/v1/cases?status=New&priority=High&q=caso&sort=status&dir=desc")]
    [InlineData("/api/v1/cases?view=all&assignee=none&sort=title")]
    [InlineData("/api/v1/cases?sla=atrisk&sort=due")]
    public async Task CasesApiList_TakesOneCommand_OnTheFirstPageAndAfterACursor(string url)
    {
        var data = await DataAsync();
        await data.CaseAsync(fields: data.Fields(priority: CasePriority.High));
        await data.CaseAsync(fields: data.Fields(priority: CasePriority.High));
        var api = await ApiClientAsync(data);

        await AssertApiBudgetAsync(api, url, 1);
        var first = await api.GetFromJsonAsync<System.Text.Json.JsonElement>(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "limit=1");
        if (first.GetProperty("nextCursor").GetString() is { } cursor)
        {
            await AssertApiBudgetAsync(api, url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "limit=1&cursor=" + cursor, 1);
        }
    }

    // One case: the case page's statement of its fields and names, and its children's when it has some (the page: 3).
    [Fact]
    public async Task CasesApiGet_TakesAtMostTwoCommands()
    {
        var data = await DataAsync();
        var (parent, children) = await data.FamilyAsync(3);
        var api = await ApiClientAsync(data);

        await AssertApiBudgetAsync(api, $"/api/v1/cases/{parent.Id}", 2);
        await AssertApiBudgetAsync(api, $"/api/v1/cases/{children[0].Id}", 1);
        await AssertApiBudgetAsync(api, $"/api/v1/cases/{parent.Id}/comments?limit=10", 2);
    }

    // Creating a case for a contact: the page's four (the contact with the references, the service-level policies, the
    // insert, the history), then the new case read back for the answer: 5, where the page's POST and the case page it
    // redirects to take 4 + 3. With an Idempotency-Key, one more: the lookup of an earlier case with that key.
    [Theory]
    [InlineData(false, 5)]
    [InlineData(true, 6)]
    public async Task CasesApiCreate_TakesThePagesCommandsAndOneToReadTheCaseBack(bool withKey, int budget)
    {
        var data = await DataAsync();
        var contact = await data.ContactAsync(data.Account);
        var api = await ApiClientAsync(data);
        await AssertApiBudgetAsync(api, "/api/v1/me", 0);

        using var sql = factory.SqlCommands.Measure(api);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/contacts/{contact.Id}/cases")
        {
            Content = JsonContent.Create(new { title = "Presupuesto por la API", categoryId = data.Category.Id, description = "Medido en la prueba." }),
        };
        if (withKey)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }

        using var response = await api.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var own = sql.Count - ApiAuthentication;
        output.WriteLine($"POST create case (API, key: {withKey}): {own} commands + {ApiAuthentication} for the token{Environment.NewLine}{sql.Describe()}");
        Assert.True(own <= budget, $"POST create case (API) took {own} commands besides the token's (budget {budget}):{Environment.NewLine}{sql.Describe()}");
    }

    [Fact]
    public async Task AssociateChildren_TakesTheSameNumberOfCommandsForTwoAndForTenChildren()
    {
        var data = await DataAsync();
        var client = await factory.CreateSignedInClientAsync(Roles.Supervisor);

        var forTwo = await AssociateAsync(client, data, 2);
        var forTen = await AssociateAsync(client, data, 10);

        output.WriteLine($"POST /Cases/Associate: {forTwo} commands for 2 children, {forTen} for 10");
        Assert.True(forTwo == forTen, $"Associating 2 children took {forTwo} commands, 10 children {forTen}.");
        Assert.InRange(forTen, 1, 5);
    }

    private async Task<int> AssociateAsync(HttpClient client, TestData data, int childCount)
    {
        var cases = await data.CasesAsync(childCount + 1);
        var parent = cases[0];
        var query = string.Join("&", cases.Select(c => "ids=" + c.Id.ToString(CultureInfo.InvariantCulture)));
        // The page without JavaScript, with its antiforgery token, is also the warm-up request.
        var form = await client.GetFormAsync("/Cases/Associate?" + query, "#associate-form");
        form.Set("parentId", parent.Id);

        int count;
        using (var sql = factory.SqlCommands.Measure(client))
        {
            using var response = await form.PostAsync();
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            count = sql.Count;
        }

        var stored = await factory.InDbAsync(db => db.Cases.AsNoTracking().Where(c => c.ParentId == parent.Id).CountAsync());
        Assert.Equal(childCount, stored);
        Assert.Equal(childCount, (await factory.Database.FindCaseAsync(parent.Id)).ChildCount);
        return count;
    }

    // ---- The API (issue 20): the page's statements, plus the token's authentication (ApiAuthentication, below).

    [Fact]
    public async Task ApiAssociate_TakesThePagesCommands_ForTwoAndForTenChildren()
    {
        var data = await DataAsync();
        using var api = await SupervisorApiAsync();

        var forTwo = await ApiAssociateAsync(api, data, 2);
        var forTen = await ApiAssociateAsync(api, data, 10);

        output.WriteLine($"POST /api/v1/cases/{{id}}/children: {forTwo} commands for 2 children, {forTen} for 10");
        Assert.True(forTwo == forTen, $"Associating 2 children took {forTwo} commands, 10 children {forTen}.");
        // The page's association (at most 5) and the children it answers with.
        Assert.InRange(forTen, 1, 5 + 1 + ApiAuthentication);
    }

    private async Task<int> ApiAssociateAsync(HttpClient api, TestData data, int childCount)
    {
        var cases = await data.CasesAsync(childCount + 1);
        var parent = cases[0].Id;
        var count = await ApiPostCommandsAsync(api, parent, $"/api/v1/cases/{parent}/children", new { caseIds = cases.Skip(1).Select(c => c.Id) });
        Assert.Equal(childCount, (await factory.Database.FindCaseAsync(parent)).ChildCount);
        return count;
    }

    /// <summary>The commands of a POST with the token, after a warm-up GET of <paramref name="caseId"/>'s children (the token's "last used" is written at most once a minute).</summary>
    private async Task<int> ApiPostCommandsAsync(HttpClient api, int caseId, string url, object body)
    {
        using (var warmUp = await api.GetAsync($"/api/v1/cases/{caseId}/children"))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        using var sql = factory.SqlCommands.Measure(api);
        using var response = await api.PostAsJsonAsync(url, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        output.WriteLine(sql.Describe());
        return sql.Count;
    }

    [Fact]
    public async Task ApiMergePreview_TakesThePagesCommands_ForTwoAndForTenCases()
    {
        var data = await DataAsync();
        var cases = await data.CasesAsync(9);
        var (parent, _) = await data.FamilyAsync(3);
        using var api = await SupervisorApiAsync();
        string Url(IEnumerable<int> ids) => $"/api/v1/cases/merge/preview?keep={Invariant(cases[0].Id)}&" + string.Join("&", ids.Select(id => "ids=" + Invariant(id)));

        var forTwo = (await AssertApiBudgetAsync(api, Url([cases[1].Id]), MergePreviewBudget)).Count;
        var forTen = (await AssertApiBudgetAsync(api, Url(cases.Skip(1).Select(c => c.Id).Append(parent.Id)), MergePreviewBudget)).Count;

        Assert.Equal(forTwo, forTen);
    }

    // The merge preview page's statements: the rows, what each holds, the rules' dry run.
    private const int MergePreviewBudget = 3;

    [Fact]
    public async Task ApiMerge_TakesTheSameNumberOfCommands_ForTwoAndForTenCases()
    {
        var data = await DataAsync();
        using var api = await SupervisorApiAsync();

        var forTwo = await ApiMergeAsync(api, data, 2);
        var forTen = await ApiMergeAsync(api, data, 10);

        output.WriteLine($"POST /api/v1/cases/merge: {forTwo} commands for 2 cases, {forTen} for 10");
        Assert.True(forTwo == forTen, $"Merging 2 cases took {forTwo} commands, 10 cases {forTen}.");
        Assert.InRange(forTen, 1, MergeBudget + ApiAuthentication);
    }

    // The merge: the settings, the cases, four set-based moves (comments, files, emails, activities), the service-level
    // policies, the cases' one UPDATE (ManyCasesWrite: SQLite would take one per case), the history, and the case that
    // stays as the answer. The page's "Confirmar" runs the same service.
    private const int MergeBudget = 10;

    private async Task<int> ApiMergeAsync(HttpClient api, TestData data, int count)
    {
        var cases = await data.CasesAsync(count);
        var keep = cases[0].Id;
        var commands = await ApiPostCommandsAsync(api, keep, "/api/v1/cases/merge", new { keepId = keep, caseIds = cases.Skip(1).Select(c => c.Id) });
        Assert.Equal(count - 1, await factory.InDbAsync(db => db.Cases.CountAsync(c => c.MergedIntoId == keep)));
        return commands;
    }

    /// <summary>A token client of a new supervisor.</summary>
    private async Task<HttpClient> SupervisorApiAsync()
    {
        var user = await Features.FeatureKit.NewUserAsync(factory, Roles.Supervisor);
        return Features.Api.ApiKit.ApiClient(factory, (await Features.Api.ApiKit.NewTokenAsync(factory, user.Id)).Secret);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task BulkEdit_TakesTheSameNumberOfCommandsForTwoAndForTwentyCases()
    {
        var data = await DataAsync();
        var assignee = await data.UserAsync();
        var client = await factory.CreateSignedInClientAsync(Roles.Supervisor);

        var forTwo = await BulkEditAsync(client, data, assignee.Id, 2);
        var forTwenty = await BulkEditAsync(client, data, assignee.Id, 20);

        output.WriteLine($"POST /Cases/BulkEdit: {forTwo} commands for 2 cases, {forTwenty} for 20");
        Assert.True(forTwo == forTwenty, $"Editing 2 cases took {forTwo} commands, 20 cases {forTwenty}.");
        // The cases; the assignee; the service-level policies (the priority changes the clock); the one UPDATE; the
        // notifications' one INSERT; the history's one INSERT.
        Assert.InRange(forTwenty, 1, 6);
    }

    private async Task<int> BulkEditAsync(HttpClient client, TestData data, string assigneeId, int count)
    {
        var cases = await data.CasesAsync(count);
        var query = string.Join("&", cases.Select(c => "ids=" + c.Id.ToString(CultureInfo.InvariantCulture)));
        // The page, with its antiforgery token, is also the warm-up request.
        var form = await client.GetFormAsync("/Cases/BulkEdit?" + query, "#bulk-edit-form");
        form.Set("AssignTo", assigneeId).Set("Priority", CasePriority.Urgent);

        int commands;
        using (var sql = factory.SqlCommands.Measure(client))
        {
            using var response = await form.PostAsync();
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            commands = sql.Count;
            output.WriteLine(sql.Describe());
        }

        var ids = cases.Select(c => c.Id).ToList();
        var stored = await factory.InDbAsync(db => db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync());
        Assert.All(stored, c => Assert.Equal((assigneeId, CasePriority.Urgent), (c.AssignedToId, c.Priority)));
        Assert.Equal(count, await factory.InDbAsync(db => db.Notifications.CountAsync(n => n.UserId == assigneeId && ids.Contains(n.CaseId))));
        Assert.Equal(2 * count, await factory.InDbAsync(db => db.CaseHistory.CountAsync(h => ids.Contains(h.CaseId)
            && (h.Field == HistoryField.AssignedTo || h.Field == HistoryField.Priority))));
        return commands;
    }

    [Fact]
    public async Task CasePage_WithATimelineOfCommentsAndActivities_TakesAtMostThreeCommands_ForOneAndForThirtyActivities()
    {
        var data = await DataAsync();
        var item = await data.CaseAsync();
        await factory.Database.NewCaseService().AddCommentAsync(item.Id, "Comentario de la línea de tiempo.", data.User.Id);
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);
        var regarding = new Regarding(RegardingType.Case, item.Id);

        await ActivitiesAsync(data, regarding, 1);
        var forOne = (await AssertBudgetAsync(client, $"/Cases/{item.Id}", 3)).Count;
        await ActivitiesAsync(data, regarding, 29);
        await factory.Database.NewCaseService().AddCommentAsync(item.Id, "Otro comentario.", data.User.Id);
        var forThirty = (await AssertBudgetAsync(client, $"/Cases/{item.Id}", 3)).Count;
        await AssertBudgetAsync(client, $"/Cases/{item.Id}?show=Activity", 3);
        await AssertBudgetAsync(client, $"/Cases/{item.Id}?show=Comment", 3);

        // Past one page, the older pages ("Ver anteriores", with and without the filter) take the same.
        await ActivitiesAsync(data, regarding, 30);
        foreach (var url in new[] { $"/Cases/{item.Id}", $"/Cases/{item.Id}?show=Activity" })
        {
            var page = await client.GetDocumentAsync(url);
            await AssertBudgetAsync(client, page.QuerySelector("#timeline-older")!.GetAttribute("href")!, 3);
        }

        Assert.Equal(forOne, forThirty);
    }

    [Fact]
    public async Task CasePage_WithATimelineOfEmails_TakesAtMostThreeCommands_ForOneAndForThirtyEmails()
    {
        var data = await DataAsync();
        var item = await data.CaseAsync();
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);

        await factory.ReceiveRepliesAsync(item.Id, 1);
        var forOne = (await AssertBudgetAsync(client, $"/Cases/{item.Id}", 3)).Count;
        await factory.ReceiveRepliesAsync(item.Id, 29);
        var forThirty = (await AssertBudgetAsync(client, $"/Cases/{item.Id}", 3)).Count;
        await AssertBudgetAsync(client, $"/Cases/{item.Id}?show=Email", 3);

        Assert.Equal(forOne, forThirty);
        Assert.Equal(30, await factory.InDbAsync(db => db.EmailMessages.CountAsync(e => e.CaseId == item.Id)));
    }

    [Fact]
    public async Task ContactActivitiesTab_TakesAFixedNumberOfCommands_ForOneAndForThirtyActivities()
    {
        var data = await DataAsync();
        var contact = await data.ContactAsync(data.Account);
        var item = await data.CaseAsync(contact);
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);

        await ActivitiesAsync(data, new Regarding(RegardingType.Contact, contact.Id), 1);
        var forOne = (await AssertBudgetAsync(client, $"/Contacts/{contact.Id}?tab=activities", ActivitiesTabBudget)).Count;
        await ActivitiesAsync(data, new Regarding(RegardingType.Contact, contact.Id), 14);
        await ActivitiesAsync(data, new Regarding(RegardingType.Case, item.Id), 15);
        var forThirty = (await AssertBudgetAsync(client, $"/Contacts/{contact.Id}?tab=activities", ActivitiesTabBudget)).Count;

        Assert.Equal(forOne, forThirty);
    }

    [Fact]
    public async Task AccountActivitiesTab_TakesAFixedNumberOfCommands_ForOneAndForThirtyActivities()
    {
        var data = await DataAsync();
        var account = await data.AccountAsync();
        var contact = await data.ContactAsync(account);
        var item = await data.CaseAsync(contact);
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);

        await ActivitiesAsync(data, new Regarding(RegardingType.Account, account.Id), 1);
        var forOne = (await AssertBudgetAsync(client, $"/Accounts/{account.Id}?tab=activities", ActivitiesTabBudget)).Count;
        await ActivitiesAsync(data, new Regarding(RegardingType.Account, account.Id), 9);
        await ActivitiesAsync(data, new Regarding(RegardingType.Contact, contact.Id), 10);
        await ActivitiesAsync(data, new Regarding(RegardingType.Case, item.Id), 10);
        var forThirty = (await AssertBudgetAsync(client, $"/Accounts/{account.Id}?tab=activities", ActivitiesTabBudget)).Count;

        Assert.Equal(forOne, forThirty);
    }

    [Theory]
    [InlineData("Overdue")]
    [InlineData("Today")]
    [InlineData("Upcoming")]
    [InlineData("All")]
    public async Task MyActivities_TakeOneCommandInEachView_ForOneAndForThirtyActivities(string view)
    {
        var data = await DataAsync();
        var item = await data.CaseAsync();
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);
        var regarding = new Regarding(RegardingType.Case, item.Id);

        // The due times fall in the view: an hour ago, within the next minutes, in three days.
        var due = view switch { "Overdue" => DateTime.UtcNow.AddHours(-1), "Upcoming" => DateTime.UtcNow.AddDays(3), _ => DateTime.UtcNow.AddMinutes(1) };
        await ActivitiesAsync(data, regarding, 1, due);
        var forOne = (await AssertBudgetAsync(client, "/Activities?view=" + view, 1)).Count;
        await ActivitiesAsync(data, regarding, 29, due);
        var forThirty = (await AssertBudgetAsync(client, "/Activities?view=" + view, 1)).Count;

        Assert.Equal(forOne, forThirty);
    }

    [Fact]
    public async Task Tokens_TakesOneCommand_ForOneAndForTenTokens()
    {
        var (user, client) = await CaseCrm.IntegrationTests.Features.FeatureKit.NewSignedInUserAsync(factory, Roles.Agent);
        await TokensAsync(user.Id, 1);
        var forOne = (await AssertBudgetAsync(client, "/Account/Tokens", TokensBudget)).Count;
        await TokensAsync(user.Id, 9);
        var forTen = (await AssertBudgetAsync(client, "/Account/Tokens", TokensBudget)).Count;

        Assert.Equal(forOne, forTen);
    }

    // The user's tokens, newest first.
    private const int TokensBudget = 1;

    private Task<int> TokensAsync(string userId, int count) => factory.InDbAsync(async db =>
    {
        for (var i = 0; i < count; i++)
        {
            db.PersonalAccessTokens.Add(CaseCrm.Domain.Access.PersonalAccessToken.Create(userId, "Integración " + i, DateTime.UtcNow.AddDays(30), DateTime.UtcNow).Token);
        }

        return await db.SaveChangesAsync();
    });

    [Theory]
    [InlineData("Week")]
    [InlineData("Month")]
    public async Task Calendar_TakesAFixedNumberOfCommands_ForOneAndForThirtyItems(string view)
    {
        var data = await DataAsync();
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);
        var regarding = new Regarding(RegardingType.Contact, data.Contact.Id);

        await ActivitiesAsync(data, regarding, 1, DateTime.UtcNow);
        var forOne = (await AssertBudgetAsync(client, "/Calendar?view=" + view, CalendarBudget)).Count;
        await ActivitiesAsync(data, regarding, 29, DateTime.UtcNow);
        var forThirty = (await AssertBudgetAsync(client, "/Calendar?view=" + view, CalendarBudget)).Count;

        Assert.Equal(forOne, forThirty);
    }

    [Fact]
    public async Task ReplyPage_TakesFourCommands_ForOneAndForTenFilesAndQuickReplies()
    {
        var data = await DataAsync();
        var item = await data.CaseAsync();
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);

        await FilesAndRepliesAsync(data, item.Id, 1);
        var forOne = (await AssertBudgetAsync(client, $"/Cases/{item.Id}/Reply", ReplyBudget)).Count;
        await FilesAndRepliesAsync(data, item.Id, 9);
        var forTen = (await AssertBudgetAsync(client, $"/Cases/{item.Id}/Reply", ReplyBudget)).Count;

        Assert.Equal(forOne, forTen);
    }

    [Fact]
    public async Task WriteToChildrenPage_TakesFourCommands_ForOneAndForFiveChildren()
    {
        var data = await DataAsync();
        var (parent, _) = await data.FamilyAsync(1);
        var (bigParent, _) = await data.FamilyAsync(5);
        var client = await factory.CreateSignedInClientAsync(Roles.Supervisor);

        var forOne = (await AssertBudgetAsync(client, $"/Cases/{parent.Id}/WriteToChildren", ReplyBudget)).Count;
        var forFive = (await AssertBudgetAsync(client, $"/Cases/{bigParent.Id}/WriteToChildren", ReplyBudget)).Count;

        Assert.Equal(forOne, forFive);
    }

    [Fact]
    public async Task SavedViews_TheListTakesOneCommand_TheSaveFormNone_TheEditFormOne_ForOneAndForTenViews()
    {
        var data = await DataAsync();
        var ids = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await factory.InDbAsync(async db =>
            {
                var view = new SavedView(data.User.Id, $"Vista {Guid.NewGuid():N}", "view=all&priority=High&sort=due", isShared: i % 2 == 0);
                db.SavedViews.Add(view);
                await db.SaveChangesAsync();
                return view.Id;
            }));
        }

        var client = await factory.CreateSignedInClientAsync(Roles.Agent);

        await AssertBudgetAsync(client, "/Cases/Views", 1);
        await AssertBudgetAsync(client, "/Cases/Views/Create?view=all&priority=High&categoryId=" + data.Category.Id, 0);
        await AssertBudgetAsync(client, $"/Cases/Views/{ids[0]}", 1);
        await AssertBudgetAsync(client, $"/Cases?view=all&savedView={ids[0]}", 2);
    }

    [Fact]
    public async Task QuickRepliesList_TakesOneCommand()
    {
        var data = await DataAsync();
        var item = await data.CaseAsync();
        await FilesAndRepliesAsync(data, item.Id, 3);
        var client = await factory.CreateSignedInClientAsync(Roles.Administrator);

        await AssertBudgetAsync(client, "/QuickReplies", 1);
    }

    [Fact]
    public async Task NewCallForACase_TakesOneCommand()
    {
        var data = await DataAsync();
        var item = await data.CaseAsync();
        var client = await factory.CreateSignedInClientAsync(Roles.Agent);

        await AssertBudgetAsync(client, $"/Activities/Create?type=Call&regardingType=Case&regardingId={item.Id}", 1);
    }

    [Fact]
    public async Task ActivityEditPage_TakesAtMostTwoCommands_WithOneAndWithFiveAttendees()
    {
        var data = await DataAsync();
        var attendees = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            attendees.Add((await data.UserAsync()).Id);
        }

        var client = await factory.CreateSignedInClientAsync(Roles.Agent);
        var service = factory.Database.NewActivityService();
        var start = DateTime.UtcNow.AddDays(1);
        var fields = new ActivityFields("Visita técnica", "Medida en la prueba.", ActivityPriority.Normal, data.User.Id, new Regarding(RegardingType.Contact, data.Contact.Id),
            StartAt: start, EndAt: start.AddHours(1), Location: "Oficina");
        var one = await service.CreateAsync(ActivityType.Appointment, fields with { AttendeeIds = attendees[..1] }, data.User.Id);
        var five = await factory.Database.NewActivityService().CreateAsync(ActivityType.Appointment, fields with { AttendeeIds = attendees }, data.User.Id);

        var forOne = (await AssertBudgetAsync(client, $"/Activities/{one.Id}", 2)).Count;
        var forFive = (await AssertBudgetAsync(client, $"/Activities/{five.Id}", 2)).Count;

        Assert.Equal(forOne, forFive);
    }

    // The API (issue 20): each endpoint's own commands, beside the token's authentication (ADR 0027: the token with its
    // user's IsActive, the user, their roles and claims), which every request pays as every page pays the bell, and which is
    // measured on GET /api/v1/me (it reads nothing else). The lists take what their pages take; a create or an edit what the
    // page's POST takes, then one read of what it answers (the page redirects to the record, a request of its own).
    [Theory]
    [InlineData("/api/v1/contacts?q=apellido&limit=50", 1)]
    [InlineData("/api/v1/contacts/by-phone?number=%2B34%20600%2011%2022%2033", 1)]
    [InlineData("/api/v1/contacts/{contact}", 1)]
    [InlineData("/api/v1/accounts?q=cuenta&limit=50", 1)]
    [InlineData("/api/v1/accounts/{account}", 1)]
    [InlineData("/api/v1/activities?view=Overdue", 1)]
    [InlineData("/api/v1/activities?view=All&limit=100", 1)]
    [InlineData("/api/v1/activities?contactId={contact}", 1)]
    [InlineData("/api/v1/activities?caseId={case}", 1)]
    public async Task ApiReads_TakeWhatTheirPagesTake_ForOneAndForThirtyRows(string url, int budget)
    {
        var data = await DataAsync();
        var item = await data.CaseAsync(data.Contact);
        var (api, authentication) = await ApiAsync(data.User.Id);
        url = url.Replace("{contact}", Invariant(data.Contact.Id), StringComparison.Ordinal)
            .Replace("{account}", Invariant(data.Account.Id), StringComparison.Ordinal).Replace("{case}", Invariant(item.Id), StringComparison.Ordinal);

        await ActivitiesAsync(data, new Regarding(RegardingType.Case, item.Id), 1, DateTime.UtcNow.AddHours(-1));
        var forOne = await ApiCommandsAsync(api, c => c.GetAsync(url), HttpStatusCode.OK);
        await ActivitiesAsync(data, new Regarding(RegardingType.Case, item.Id), 29, DateTime.UtcNow.AddHours(-1));
        var forThirty = await ApiCommandsAsync(api, c => c.GetAsync(url), HttpStatusCode.OK);

        Assert.True(forThirty - authentication <= budget, $"GET {url} took {forThirty - authentication} commands besides the authentication's {authentication} (budget {budget}).");
        Assert.Equal(forOne, forThirty);
    }

    // The same write through the page's form and through the API: the API takes what the page's POST takes, plus at most
    // one read of what it answers (the page redirects to the record instead, a request of its own). Measured, not a fixed
    // figure, because a write's commands differ by provider (SQLite sends each INSERT of the contact's search terms alone).
    [Fact]
    public async Task ApiWrites_TakeWhatThePagesPostsTake_AndOneReadOfTheAnswer()
    {
        var data = await DataAsync();
        var item = await data.CaseAsync(data.Contact);
        // Two alike contacts, one edited by each, to the same values: the same search terms change.
        var (contact, twin) = (await data.ContactAsync(data.Account), await data.ContactAsync(data.Account));
        var account = await data.AccountAsync();
        var page = await factory.CreateSignedInClientAsync(Roles.Agent);
        var (api, authentication) = await ApiAsync(data.User.Id);
        var id = Invariant(contact.Id);
        var writes = new (string What, string Form, (string, object)[] Fields, Func<HttpClient, Task<HttpResponseMessage>> Api, HttpStatusCode Status, int Reads)[]
        {
            ("create a contact", "/Contacts/Create", [("FirstName", "Ana"), ("LastName", "Presupuesto"), ("Phone", "600 11 22 33"), ("AccountId", data.Account.Id)],
                c => c.PostAsJsonAsync("/api/v1/contacts", new { firstName = "Ana", lastName = "Presupuesto", phone = "600 11 22 33", accountId = data.Account.Id }), HttpStatusCode.Created, 1),
            ("edit a contact", $"/Contacts/{id}/Edit", [("FirstName", "Nombre"), ("LastName", "Medido"), ("Phone", "611 11 11 11"), ("AccountId", account.Id)],
                c => c.PutAsJsonAsync($"/api/v1/contacts/{twin.Id}", new { firstName = "Nombre", lastName = "Medido", phone = "611 11 11 11", accountId = account.Id }), HttpStatusCode.OK, 1),
            ("create an account", "/Accounts/Create", [("Name", "Cuenta presupuestada")],
                c => c.PostAsJsonAsync("/api/v1/accounts", new { name = "Cuenta presupuestada" }), HttpStatusCode.Created, 1),
            ("edit an account", $"/Accounts/{account.Id}/Edit", [("Name", account.Name), ("Phone", "910000000")],
                c => c.PutAsJsonAsync($"/api/v1/accounts/{account.Id}", new { name = account.Name, phone = "910000001" }), HttpStatusCode.OK, 1),
            ("log a call", $"/Activities/Create?type=Call&regardingType=Case&regardingId={item.Id}", [("Subject", "Medida"), ("Direction", "Outgoing")],
                c => c.PostAsJsonAsync("/api/v1/activities", new { type = "Call", subject = "Medida", direction = "Outgoing", regardingType = "Case", regardingId = item.Id }), HttpStatusCode.Created, 0),
        };

        foreach (var (what, url, fields, request, status, reads) in writes)
        {
            var form = await page.GetFormAsync(url, url.StartsWith("/Activities", StringComparison.Ordinal) ? "#activity-form" : null);
            foreach (var (name, value) in fields)
            {
                form.Set(name, value);
            }

            int byPage;
            using (var sql = factory.SqlCommands.Measure(page))
            {
                using var response = await form.PostAsync();
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                byPage = sql.Count;
            }

            var byApi = await ApiCommandsAsync(api, request, status) - authentication;
            output.WriteLine($"{what}: the page's POST {byPage} commands, the API {byApi} besides the authentication's {authentication}");
            Assert.True(byApi <= byPage + reads, $"{what}: the API took {byApi} commands besides the authentication's {authentication}, the page's POST {byPage} (+{reads} read).");
        }
    }

    /// <summary>An API client acting as <paramref name="userId"/>, and the commands its token's authentication takes.</summary>
    private async Task<(HttpClient Api, int Authentication)> ApiAsync(string userId)
    {
        var api = CaseCrm.IntegrationTests.Features.Api.ApiKit.ApiClient(factory, (await CaseCrm.IntegrationTests.Features.Api.ApiKit.NewTokenAsync(factory, userId)).Secret);
        return (api, await ApiCommandsAsync(api, c => c.GetAsync("/api/v1/me"), HttpStatusCode.OK));
    }

    /// <summary>
    /// The commands <paramref name="request"/> takes, after a warm-up request of the same client (the token's "last used" is
    /// written at most once a minute, by the first).
    /// </summary>
    private async Task<int> ApiCommandsAsync(HttpClient api, Func<HttpClient, Task<HttpResponseMessage>> request, HttpStatusCode expected)
    {
        using (var warmUp = await api.GetAsync(new Uri("/api/v1/me", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        using var sql = factory.SqlCommands.Measure(api);
        using var response = await request(api);
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        output.WriteLine($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {sql.Count} commands{Environment.NewLine}{sql.Describe()}");
        return sql.Count;
    }


    // The contact's and the account's page with their "Actividades" tab: the record, then one page of the tab's rows.
    private const int ActivitiesTabBudget = 2;

    // The reply pages: the case (with its contact and thread), the active mailboxes, the quick replies, the files (or the children).
    private const int ReplyBudget = 4;

    // The week or month of the signed-in user: the items, and whether the user has a feed.
    private const int CalendarBudget = 2;

    /// <summary>Adds <paramref name="count"/> files to the case and as many quick replies.</summary>
    private async Task FilesAndRepliesAsync(TestData data, int caseId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await factory.Database.NewCaseService().AddAttachmentsAsync(
                caseId, [UploadedFile.Of($"nota{i}.txt", System.Text.Encoding.UTF8.GetBytes("nota"))], data.User.Id);
        }

        await factory.InDbAsync(async db =>
        {
            for (var i = 0; i < count; i++)
            {
                var reply = new CaseCrm.Domain.Email.QuickReply();
                reply.Update($"Respuesta {Guid.NewGuid():N}", "Asunto", "Hola {contacto.nombre}");
                db.QuickReplies.Add(reply);
            }

            return await db.SaveChangesAsync();
        });
    }

    /// <summary>Adds <paramref name="count"/> open tasks of the agent regarding <paramref name="regarding"/>, due at <paramref name="due"/> (now when null).</summary>
    private async Task ActivitiesAsync(TestData data, Regarding regarding, int count, DateTime? due = null)
    {
        for (var i = 0; i < count; i++)
        {
            await factory.Database.NewActivityService().CreateAsync(
                ActivityType.Task,
                new ActivityFields($"Tarea {i}", null, ActivityPriority.Normal, data.User.Id, regarding, DueAt: due ?? DateTime.UtcNow),
                data.User.Id);
        }
    }

    // Every page of a signed-in user also counts the bell's unread notifications in the layout: one indexed COUNT, the
    // same on every page, added here rather than to each page's own budget.
    private const int BellCount = 1;

    /// <summary>
    /// GETs <paramref name="url"/> twice (warm-up, then measured) and checks the second stays within the page's own
    /// <paramref name="budget"/> plus the layout's <see cref="BellCount"/>.
    /// </summary>
    private async Task<IReadOnlyList<string>> AssertBudgetAsync(HttpClient client, string url, int pageBudget)
    {
        var budget = pageBudget + BellCount;
        using (var warmUp = await client.GetAsync(new Uri(url, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        using var sql = factory.SqlCommands.Measure(client);
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var commands = sql.Commands;
        output.WriteLine($"GET {url}: {commands.Count} commands{Environment.NewLine}{sql.Describe()}");
        Assert.True(commands.Count <= budget, $"GET {url} took {commands.Count} commands (budget {budget}):{Environment.NewLine}{sql.Describe()}");
        return commands;
    }

    // Every API request authenticates its token (ADR 0027): the token with its user and the user's roles, one statement (and
    // "last used" written at most once a minute, which the warm-up request does). The cookie is read without a query, so the
    // pages' budgets do not count it; the API's budgets are the endpoint's own plus this (GET /api/v1/me takes exactly this).
    private const int ApiAuthentication = 1;

    /// <summary>A token client of the budget's user (the demo agent, as the pages' budgets).</summary>
    private async Task<HttpClient> ApiClientAsync(TestData data) =>
        factory.ApiClient((await factory.NewTokenAsync(data.User.Id)).Secret);

    /// <summary>
    /// GETs <paramref name="url"/> twice with a token (warm-up: the token's "last used", written at most once a minute; then
    /// measured) and checks the second stays within <paramref name="budget"/> plus <see cref="ApiAuthentication"/>.
    /// </summary>
    private async Task<IReadOnlyList<string>> AssertApiBudgetAsync(HttpClient api, string url, int budget)
    {
        using (var warmUp = await api.GetAsync(new Uri(url, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        using var sql = factory.SqlCommands.Measure(api);
        using var response = await api.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var commands = sql.Commands;
        output.WriteLine($"GET {url}: {commands.Count - ApiAuthentication} commands + {ApiAuthentication} for the token{Environment.NewLine}{sql.Describe()}");
        Assert.True(commands.Count <= budget + ApiAuthentication, $"GET {url} took {commands.Count} commands (budget {budget} + {ApiAuthentication} for the token):{Environment.NewLine}{sql.Describe()}");
        return commands;
    }

    public sealed class Sqlite(CachedSqliteWebFactory factory, ITestOutputHelper output) : SqlBudgetTests(factory, output), IClassFixture<CachedSqliteWebFactory>;

    public sealed class Postgres(CachedPostgresWebFactory factory, ITestOutputHelper output) : SqlBudgetTests(factory, output), IClassFixture<CachedPostgresWebFactory>;
}
