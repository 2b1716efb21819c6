using System.Diagnostics;
using System.Globalization;
using System.Net;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Concurrency;

/// <summary>
/// Crash safety (issue 7, item 4): the real app runs as a child process; a supervisor fires a burst of multi-row
/// operations over HTTP — associating five fresh cases to a fresh parent, and creating child cases — many at a time;
/// the process is killed with SIGKILL in the middle of the burst and started again. Every operation must then be all
/// or nothing: each parent has none or all five of its group, each ChildCount matches the children stored, each link
/// has its history rows (written in the same transaction), every acknowledged operation is there, and the restarted
/// app serves the old session and works.
/// </summary>
public abstract class CrashSafetyTests(DatabaseProvider provider, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Groups = 40;
    private const int GroupChildren = 5;
    private const int ChildParents = 15;
    private const int ChildrenPerParent = 3;
    private const int InFlight = 16;

    // The kill comes when this share of the requests has been answered.
    private const double KillAfterShare = 0.3;

    private TestDatabase _database = null!;

    private enum Outcome
    {
        NotSent,
        Done,
        Refused,
        NoAnswer,
    }

    public async Task InitializeAsync() => _database = await TestDatabase.CreateEmptyAsync(provider);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task KillingTheAppInTheMiddleOfABurstOfWrites_LeavesEveryOperationAllOrNothing()
    {
        var clock = Stopwatch.StartNew();
        var browser = new CookieContainer();
        var supervisorEmail = DbInitializer.DemoUsers.Single(u => u.Role == Roles.Supervisor).Email;

        await using var app = await AppProcess.StartAsync(provider, _database.ConnectionString);
        var startMs = clock.ElapsedMilliseconds;
        using var client = app.CreateBrowser(browser);
        await client.SignInAsAsync(Roles.Supervisor);
        var token = await TokenAsync(client);
        var signedInMs = clock.ElapsedMilliseconds;

        // Fresh cases for every operation of the burst, so that none is refused by a rule.
        var data = await TestData.CreateAsync(_database, supervisorEmail);
        var groups = new List<(int Parent, int[] Children)>(Groups);
        var fresh = await InsertCasesAsync(data, Groups * (1 + GroupChildren) + ChildParents);
        for (var g = 0; g < Groups; g++)
        {
            var group = fresh.Skip(g * (1 + GroupChildren)).Take(1 + GroupChildren).ToList();
            groups.Add((group[0], group.Skip(1).ToArray()));
        }

        var childParents = fresh.Skip(Groups * (1 + GroupChildren)).ToList();
        var requests = groups.Select((g, i) => new Request(i, g.Parent, Associate(g.Parent, g.Children, token)))
            .Concat(childParents.SelectMany(p => Enumerable.Range(1, ChildrenPerParent).Select(k => new Request(-1, p, CreateChild(p, k, data.Category.Id, token)))))
            .OrderBy(_ => Random.Shared.Next())
            .ToList();
        var arrangedMs = clock.ElapsedMilliseconds;

        // The burst, and the kill in the middle of it.
        var outcomes = new Outcome[requests.Count];
        var answered = 0;
        var killAt = (int)(requests.Count * KillAfterShare);
        var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = 0;
        using var gate = new SemaphoreSlim(InFlight);
        var burstClock = Stopwatch.StartNew();
        var burst = Task.WhenAll(requests.Select(async (request, i) =>
        {
            await gate.WaitAsync();
            try
            {
                if (Volatile.Read(ref killed) == 1)
                {
                    return;
                }

                using var content = new FormUrlEncodedContent(request.Form.Values);
                using var response = await client.PostAsync(new Uri(request.Form.Path, UriKind.Relative), content);
                outcomes[i] = response.StatusCode == HttpStatusCode.Redirect ? Outcome.Done : Outcome.Refused;
                if (Interlocked.Increment(ref answered) >= killAt)
                {
                    killNow.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                outcomes[i] = Outcome.NoAnswer;
            }
            finally
            {
                gate.Release();
            }
        }));
        await Task.WhenAny(killNow.Task, burst);
        Volatile.Write(ref killed, 1);
        var answeredAtKill = Volatile.Read(ref answered);
        await app.KillAsync();
        var killMs = burstClock.ElapsedMilliseconds;
        await burst;

        var restartClock = Stopwatch.StartNew();
        await using var restarted = await AppProcess.StartAsync(provider, _database.ConnectionString);
        var restartMs = restartClock.ElapsedMilliseconds;

        // What the database holds after the crash and the restart's recovery.
        await using var db = _database.NewContext();
        var stored = await db.Cases.AsNoTracking().Where(c => c.ContactId == data.Contact.Id)
            .Select(c => new { c.Id, c.ParentId, c.ChildCount }).ToDictionaryAsync(c => c.Id);
        var createdRows = await db.CaseHistory.AsNoTracking().Where(h => h.Field == HistoryField.Created)
            .GroupBy(h => h.CaseId).Select(g => new { CaseId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.CaseId, g => g.Count);
        var problems = new List<string>();
        int whole = 0, none = 0, wholeUnanswered = 0;
        var untouched = new List<(int Parent, int[] Children)>();
        foreach (var (request, outcome) in requests.Zip(outcomes).Where(x => x.First.Group >= 0))
        {
            var (parent, children) = groups[request.Group];
            var linked = children.Count(id => stored[id].ParentId == parent);
            if (linked == GroupChildren && stored[parent].ChildCount == GroupChildren)
            {
                whole++;
                wholeUnanswered += outcome == Outcome.NoAnswer ? 1 : 0;
            }
            else if (linked == 0 && stored[parent].ChildCount == 0)
            {
                none++;
                untouched.Add((parent, children));
                if (outcome == Outcome.Done)
                {
                    problems.Add($"The association of {CaseNumber.Format(parent)} was acknowledged but is not stored.");
                }
            }
            else
            {
                problems.Add($"Half-done association: {CaseNumber.Format(parent)} has ChildCount {stored[parent].ChildCount} and {linked} of its {GroupChildren} cases.");
            }

            if (outcome == Outcome.Refused)
            {
                problems.Add($"The association of {CaseNumber.Format(parent)} was refused.");
            }
        }

        var childrenCreated = 0;
        var childrenAcknowledged = 0;
        foreach (var parent in childParents)
        {
            var children = stored.Values.Where(c => c.ParentId == parent).Select(c => c.Id).ToList();
            var acknowledged = requests.Zip(outcomes).Count(x => x.First.Group < 0 && x.First.Parent == parent && x.Second == Outcome.Done);
            childrenCreated += children.Count;
            childrenAcknowledged += acknowledged;
            if (children.Count < acknowledged || children.Count > ChildrenPerParent)
            {
                problems.Add($"{CaseNumber.Format(parent)} has {children.Count} children for {acknowledged} acknowledged creations of {ChildrenPerParent}.");
            }
        }

        problems.AddRange(stored.Keys.Where(id => createdRows.GetValueOrDefault(id) != 1)
            .Select(id => $"{CaseNumber.Format(id)} has {createdRows.GetValueOrDefault(id)} 'Created' history rows."));
        var audit = await FamilyAudit.RunAsync(db, ParentChildSettings.DefaultMaxChildren, stored.Keys.ToHashSet());
        problems.AddRange(audit.Violations);

        // The restarted app: the session from before the crash still works, and so does writing.
        using var again = restarted.CreateBrowser(browser);
        using (var list = await again.GetAsync(new Uri("/Cases", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }

        if (untouched.Count > 0)
        {
            var (parent, children) = untouched[^1];
            var form = Associate(parent, children, token);
            using var content = new FormUrlEncodedContent(form.Values);
            using var response = await again.PostAsync(new Uri(form.Path, UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(GroupChildren, (await _database.FindCaseAsync(parent)).ChildCount);
        }

        output.WriteLine($"{provider}: app started in {startMs} ms, first sign-in and page {signedInMs - startMs} ms, cases arranged in {arrangedMs - signedInMs} ms; "
            + $"burst of {requests.Count} requests ({Groups} associations of {GroupChildren}, {ChildParents * ChildrenPerParent} child creations), {InFlight} at a time");
        output.WriteLine($"SIGKILL (pid {app.Id}) {killMs} ms into the burst, after {answeredAtKill} answers; "
            + $"answered {outcomes.Count(o => o is Outcome.Done or Outcome.Refused)} (refused {outcomes.Count(o => o == Outcome.Refused)}), "
            + $"no answer {outcomes.Count(o => o == Outcome.NoAnswer)}, not sent {outcomes.Count(o => o == Outcome.NotSent)}");
        output.WriteLine($"restarted in {restartMs} ms; associations complete {whole} ({wholeUnanswered} of them never answered), untouched {none}, half-done {Groups - whole - none}; "
            + $"children created {childrenCreated} ({childrenAcknowledged} acknowledged); audit: {audit}; problems {problems.Count}; total {clock.ElapsedMilliseconds} ms");

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)));
        Assert.True(answeredAtKill < requests.Count, "The kill came after the burst: nothing was in flight.");
    }

    /// <summary>New active cases of the test contact, with their "Created" history rows, in two statements' worth of time.</summary>
    private async Task<List<int>> InsertCasesAsync(TestData data, int count)
    {
        await using var db = _database.NewContext();
        var now = DateTime.UtcNow;
        var cases = Enumerable.Range(0, count).Select(_ => new Case(data.Contact.Id, data.Fields(), CaseStatus.New, new CaseReferences(true, true), data.User.Id, now)).ToList();
        db.Cases.AddRange(cases);
        await db.SaveChangesAsync();
        db.CaseHistory.AddRange(cases.Select(c => CaseHistoryEntry.Of(c.Id, HistoryField.Created, null, c.Number, data.User.Id, now)));
        await db.SaveChangesAsync();
        return [.. cases.Select(c => c.Id).Order()];
    }

    private static async Task<string> TokenAsync(HttpClient client)
    {
        var page = await client.GetDocumentAsync("/Cases");
        return page.QuerySelector($"input[name='{HtmlForm.AntiforgeryField}']")?.GetAttribute("value")
            ?? throw new InvalidOperationException("/Cases has no antiforgery token.");
    }

    /// <summary>"Establecer relación de primario a secundario": the parent and its new children, as the dialog posts them.</summary>
    private static FormPost Associate(int parent, IEnumerable<int> children, string token) => new(
        "/Cases/Associate",
        [
            .. new[] { parent }.Concat(children).Select(id => KeyValuePair.Create("ids", Invariant(id))),
            KeyValuePair.Create("parentId", Invariant(parent)),
            KeyValuePair.Create(HtmlForm.AntiforgeryField, token),
        ]);

    /// <summary>"Crear caso secundario": the case form, saved as a child of <paramref name="parent"/>.</summary>
    private static FormPost CreateChild(int parent, int k, int categoryId, string token) => new(
        $"/Cases/{parent}/Children/Create",
        [
            KeyValuePair.Create("Title", $"Secundario {k} de {CaseNumber.Format(parent)}"),
            KeyValuePair.Create("CategoryId", Invariant(categoryId)),
            KeyValuePair.Create("Status", nameof(CaseStatus.New)),
            KeyValuePair.Create("Description", "Creado durante la ráfaga."),
            KeyValuePair.Create(HtmlForm.AntiforgeryField, token),
        ]);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record FormPost(string Path, IReadOnlyList<KeyValuePair<string, string>> Values);

    /// <summary>One request of the burst: an association (its group index) or a child creation (group -1) for <paramref name="Parent"/>.</summary>
    private sealed record Request(int Group, int Parent, FormPost Form);

    public sealed class Sqlite(ITestOutputHelper output) : CrashSafetyTests(DatabaseProvider.Sqlite, output);

    public sealed class Postgres(ITestOutputHelper output) : CrashSafetyTests(DatabaseProvider.Postgres, output);
}
