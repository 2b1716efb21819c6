using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Text;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// SQL-injection payloads in every search box, filter, sort key, direction and page number, on SQLite and PostgreSQL:
/// each answers 200 (or 400 for a value that cannot bind), lists exactly the rows that the search legitimately matches
/// (computed here, in memory, from the rows themselves), and leaves every table as it was. Sort keys outside each
/// list's allow-list fall back to its default order.
/// </summary>
public abstract class SqlInjectionTests(SecurityWebFactory factory, ITestOutputHelper output)
{
    private static readonly string[] PayloadList =
    [
        "' OR 1=1 --",
        "' OR '1'='1",
        "'; DROP TABLE \"Cases\"; --",
        "\"; DROP TABLE Cases; --",
        "'); DELETE FROM \"AspNetUsers\"; --",
        "%' --",
        "%",
        "_",
        "1) OR (1=1",
        "' UNION SELECT \"PasswordHash\", NULL FROM \"AspNetUsers\" --",
        "\\' OR 1=1 --",
        "admin'--",
        "1; SELECT pg_sleep(3); --",
        "'||(SELECT \"Email\" FROM \"AspNetUsers\" LIMIT 1)||'",
        "CAS-1 OR 1=1",
        "ñ' OR 'Ñ'='ñ",
    ];

    public static TheoryData<string> Payloads => new(PayloadList);

    private const int PageSize = 25;

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task SearchBoxes_ListOnlyWhatTheTextMatches_AndChangeNothing(string payload)
    {
        await SeedAsync();
        var session = await factory.SharedSessionAsync(Principal.Agente);
        var supervisor = await factory.SharedSessionAsync(Principal.Supervisor);
        var world = await factory.SharedWorldAsync();
        var before = await DbSnapshot.TakeAsync(factory.Database);
        var q = Uri.EscapeDataString(payload);
        var failures = new List<string>();

        var contacts = await RowsAsync(session, $"/Contacts?q={q}", ContactRows, "data-contact-id");
        failures.AddRange(Compare("contacts", contacts, await ExpectedContactsAsync(payload)));

        var accounts = await RowsAsync(session, $"/Accounts?q={q}", AccountRows, null);
        failures.AddRange(Compare("accounts", accounts, await ExpectedAccountsAsync(payload)));

        var cases = await RowsAsync(session, $"/Cases?view=all&q={q}", CaseRows, "data-case-id");
        failures.AddRange(Compare("cases", cases, await ExpectedCasesAsync(payload)));

        using (var lookup = await session.GetAsync($"/Accounts/Lookup?q={q}"))
        {
            Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
            using var json = JsonDocument.Parse(await lookup.Content.ReadAsStringAsync());
            var ids = json.RootElement.EnumerateArray().Select(a => a.GetProperty("id").GetInt32()).ToList();
            failures.AddRange(Compare("account look-up", ids, await ExpectedLookupAsync(payload), limit: 20));
        }

        var found = await RowsAsync(supervisor, $"/Cases/{world.CaseId}?tab=relations&add=true&find={q}", "#lookup-results tr[data-case-id]", "data-case-id");
        failures.AddRange(Compare("case look-up", found, await ExpectedCaseLookupAsync(payload, world.CaseId), limit: 20));

        failures.AddRange(before.DifferencesFrom(await DbSnapshot.TakeAsync(factory.Database)).Select(d => "database changed: " + d));
        Assert.True(failures.Count == 0, $"[{payload}]\n" + string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task Filters_SortsAndPaging_AreHarmless(string payload)
    {
        await SeedAsync();
        var session = await factory.SharedSessionAsync(Principal.Agente);
        var before = await DbSnapshot.TakeAsync(factory.Database);
        var q = Uri.EscapeDataString(payload);
        var failures = new List<string>();

        // Baselines: the same lists without the hostile parameter.
        var allCases = await RowsAsync(session, "/Cases?view=all", CaseRows, "data-case-id");
        var activeCases = await RowsAsync(session, "/Cases", CaseRows, "data-case-id");
        var contacts = await RowsAsync(session, "/Contacts", ContactRows, "data-contact-id");
        var accounts = await RowsAsync(session, "/Accounts", AccountRows, null);

        // Filters that cannot bind (enums, ids, numbers) are ignored; a text filter matches nothing.
        foreach (var filter in new[] { "status", "categoryId", "priority", "page" })
        {
            failures.AddRange(SameOrder($"cases {filter}", allCases, await RowsAsync(session, $"/Cases?view=all&{filter}={q}", CaseRows, "data-case-id")));
        }

        failures.AddRange(SameOrder("cases view", activeCases, await RowsAsync(session, $"/Cases?view={q}", CaseRows, "data-case-id")));
        var assigned = await RowsAsync(session, $"/Cases?view=all&assignee={q}", CaseRows, "data-case-id");
        if (assigned.Count > 0)
        {
            failures.Add($"cases assignee: {assigned.Count} rows for an assignee that does not exist");
        }

        // Sort keys and directions outside the allow-list: the default order, and the page says so.
        failures.AddRange(await SortFallsBackAsync(session, $"/Cases?view=all&sort={q}&dir={q}", allCases, "updated", "desc"));
        failures.AddRange(await SortFallsBackAsync(session, $"/Contacts?sort={q}&dir={q}", contacts, "name", "asc"));
        failures.AddRange(await SortFallsBackAsync(session, $"/Accounts?sort={q}&dir={q}", accounts, "name", "asc"));
        failures.AddRange(SameOrder("contacts page", contacts, await RowsAsync(session, $"/Contacts?page={q}", ContactRows, "data-contact-id")));
        failures.AddRange(SameOrder("accounts page", accounts, await RowsAsync(session, $"/Accounts?page={q}", AccountRows, null)));

        failures.AddRange(before.DifferencesFrom(await DbSnapshot.TakeAsync(factory.Database)).Select(d => "database changed: " + d));
        Assert.True(failures.Count == 0, $"[{payload}]\n" + string.Join("\n", failures));
    }

    [Theory]
    [InlineData("SearchTitle")]
    [InlineData("Id")]
    [InlineData("PasswordHash")]
    [InlineData("name desc, (SELECT 1)")]
    [InlineData("TITLE")]
    [InlineData("1")]
    public async Task SortKeys_OutsideTheAllowList_FallBackToTheDefaultOrder(string key)
    {
        await SeedAsync();
        var session = await factory.SharedSessionAsync(Principal.Agente);
        var k = Uri.EscapeDataString(key);
        var failures = new List<string>();

        failures.AddRange(await SortFallsBackAsync(session, $"/Cases?view=all&sort={k}&dir=asc",
            await RowsAsync(session, "/Cases?view=all", CaseRows, "data-case-id"), "updated", "desc"));
        failures.AddRange(await SortFallsBackAsync(session, $"/Contacts?sort={k}&dir=desc",
            await RowsAsync(session, "/Contacts", ContactRows, "data-contact-id"), "name", "asc"));
        failures.AddRange(await SortFallsBackAsync(session, $"/Accounts?sort={k}&dir=desc",
            await RowsAsync(session, "/Accounts", AccountRows, null), "name", "asc"));

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task AllowedSortKeys_Work_AndAQuoteInARealName_IsFound()
    {
        var tag = await SeedAsync();
        var session = await factory.SharedSessionAsync(Principal.Agente);

        foreach (var key in new[] { "number", "title", "status", "priority", "updated" })
        {
            using var response = await session.GetAsync($"/Cases?view=all&sort={key}&dir=desc");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(key, (await response.ReadHtmlAsync()).QuerySelector("#case-filters input[name=sort]")?.GetAttribute("value"));
        }

        var obrien = await RowsAsync(session, $"/Contacts?q={Uri.EscapeDataString($"O'Brien-{tag}")}", ContactRows, "data-contact-id");
        Assert.Single(obrien);
        var percent = await RowsAsync(session, $"/Accounts?q={Uri.EscapeDataString($"50% {tag}")}", AccountRows, null);
        Assert.Single(percent);
    }

    /// <summary>
    /// A NUL character is no SQL but PostgreSQL refuses it in text ("invalid byte sequence for encoding UTF8: 0x00"):
    /// it must be refused as bad input (400) or be harmless, never a server error.
    /// </summary>
    [Fact]
    public async Task NulCharacters_InSearchesFiltersAndForms_AreBadInput_NeverAServerError()
    {
        await SeedAsync();
        var session = await factory.SharedSessionAsync(Principal.Agente);
        var failures = new List<string>();
        foreach (var url in new[] { "/Contacts?q=a%00b", "/Accounts?q=a%00b", "/Cases?q=a%00b", "/Cases?assignee=a%00b", "/Accounts/Lookup?q=a%00b" })
        {
            using var response = await session.GetAsync(url);
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.BadRequest))
            {
                failures.Add($"GET {url}: {(int)response.StatusCode}");
            }
        }

        // ASP.NET Core's form reader refuses a NUL (the antiforgery check then answers 400): the 400 page must follow.
        using var anonymous = factory.NewSession();
        foreach (var (client, url, field) in new[] { (session, "/Contacts/Create", "FirstName"), (anonymous, "/Account/Login", "Email") })
        {
            using var post = await client.PostAsync(url, [KeyValuePair.Create(field, "Ana\0Bea"), KeyValuePair.Create("LastName", "Nul")]);
            if (post.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.OK or HttpStatusCode.BadRequest))
            {
                failures.Add($"POST {url} with a NUL in {field}: {(int)post.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryTable_IsStillThere_AfterTheWholeBarrage()
    {
        await SeedAsync();
        var session = await factory.SharedSessionAsync(Principal.Agente);
        var before = await DbSnapshot.TakeAsync(factory.Database);
        foreach (var payload in PayloadList)
        {
            var q = Uri.EscapeDataString(payload);
            foreach (var url in new[] { $"/Contacts?q={q}", $"/Accounts?q={q}", $"/Cases?q={q}&view=all", $"/Cases?assignee={q}", $"/Accounts/Lookup?q={q}" })
            {
                using var response = await session.GetAsync(url);
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode}");
            }
        }

        var after = await DbSnapshot.TakeAsync(factory.Database);
        Assert.Equal(before.TableNames, after.TableNames);
        Assert.Empty(before.DifferencesFrom(after));
        Assert.True(after.RowCounts["Cases"] > 0 && after.RowCounts["AspNetUsers"] > 0);
        output.WriteLine($"{after.TableNames.Count} tables intact: {string.Join(", ", after.RowCounts.Select(t => $"{t.Key}={t.Value}"))}");
    }

    private const string CaseRows = "tr[data-case-id]";
    private const string ContactRows = "tr[data-contact-id]";
    private const string AccountRows = "#accounts tbody tr";

    private static async Task<IReadOnlyList<string>> SortFallsBackAsync(TestSession session, string url, IReadOnlyList<int> defaultOrder, string defaultKey, string defaultDir)
    {
        var (rows, idAttribute) = url.StartsWith("/Cases", StringComparison.Ordinal) ? (CaseRows, "data-case-id")
            : url.StartsWith("/Contacts", StringComparison.Ordinal) ? (ContactRows, "data-contact-id")
            : (AccountRows, (string?)null);
        using var response = await session.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return [$"{url}: answered {(int)response.StatusCode}"];
        }

        var page = await response.ReadHtmlAsync();
        var problems = new List<string>();
        var sort = page.QuerySelector("form[role=search] input[name=sort]")?.GetAttribute("value");
        var dir = page.QuerySelector("form[role=search] input[name=dir]")?.GetAttribute("value");
        if (sort != defaultKey || dir != defaultDir)
        {
            problems.Add($"{url}: sorted by '{sort}' '{dir}', not the default '{defaultKey}' '{defaultDir}'");
        }

        problems.AddRange(SameOrder(url, defaultOrder, Ids(page, rows, idAttribute)));
        return problems;
    }

    private static IEnumerable<string> SameOrder(string what, IReadOnlyList<int> expected, IReadOnlyList<int> actual) =>
        expected.SequenceEqual(actual) ? [] : [$"{what}: rows [{string.Join(",", actual.Take(8))}…] instead of [{string.Join(",", expected.Take(8))}…]"];

    private static IEnumerable<string> Compare(string what, IReadOnlyList<int> shown, IReadOnlyCollection<int> expected, int limit = PageSize)
    {
        var extra = shown.Except(expected).ToList();
        if (extra.Count > 0)
        {
            yield return $"{what}: rows the text does not match: {string.Join(",", extra)}";
        }

        if (shown.Count != Math.Min(limit, expected.Count))
        {
            yield return $"{what}: {shown.Count} rows, expected {Math.Min(limit, expected.Count)}";
        }
    }

    /// <summary>The ids a list page shows (accounts by their links); fails unless it answers 200.</summary>
    private static async Task<IReadOnlyList<int>> RowsAsync(TestSession session, string url, string rowSelector, string? idAttribute)
    {
        using var response = await session.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        return Ids(await response.ReadHtmlAsync(), rowSelector, idAttribute);
    }

    private static List<int> Ids(IHtmlDocument page, string rowSelector, string? idAttribute) =>
        page.QuerySelectorAll(rowSelector)
            .Select(row => idAttribute is not null
                ? row.GetAttribute(idAttribute)!
                : row.QuerySelector("a[href^='/Accounts/']")!.GetAttribute("href")!["/Accounts/".Length..])
            .Select(id => int.Parse(id, CultureInfo.InvariantCulture))
            .ToList();

    // The oracles: what each search legitimately matches, computed in memory from the stored rows, as the app defines it.
    private Task<IReadOnlyCollection<int>> ExpectedContactsAsync(string q) => factory.InDbAsync<IReadOnlyCollection<int>>(async db =>
    {
        var words = SearchText.SearchWords(q);
        var terms = await ContactTermsAsync(db);
        return terms.Where(c => StartTerms(words, c.Value)).Select(c => c.Key).ToList();
    });

    /// <summary>Every contact's search terms (ADR 0009), from the database.</summary>
    private static async Task<Dictionary<int, List<string>>> ContactTermsAsync(CrmDbContext db)
    {
        var ids = await db.Contacts.Select(c => c.Id).ToListAsync();
        var terms = await db.ContactSearchTerms.Select(t => new { t.ContactId, t.Term }).ToListAsync();
        var byContact = terms.ToLookup(t => t.ContactId, t => t.Term);
        return ids.ToDictionary(id => id, id => byContact[id].ToList());
    }

    /// <summary>True when each word starts one of the terms (no words: every contact, as the list without a search).</summary>
    private static bool StartTerms(IReadOnlyList<string> words, List<string> terms) =>
        words.All(w => terms.Exists(t => t.StartsWith(w, StringComparison.Ordinal)));

    private Task<IReadOnlyCollection<int>> ExpectedAccountsAsync(string q) => factory.InDbAsync<IReadOnlyCollection<int>>(async db =>
    {
        var folded = SearchText.Fold(q);
        var rows = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.SearchName, a.TaxId, a.Email }).ToListAsync();
        return rows.Where(a => folded.Length == 0 || a.SearchName.Contains(folded, StringComparison.Ordinal) || a.TaxId == q.Trim() || a.Email == q.Trim())
            .Select(a => a.Id).ToList();
    });

    private Task<IReadOnlyCollection<int>> ExpectedLookupAsync(string q) => factory.InDbAsync<IReadOnlyCollection<int>>(async db =>
    {
        var folded = SearchText.Fold(q);
        var rows = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.SearchName }).ToListAsync();
        return rows.Where(a => a.SearchName.Contains(folded, StringComparison.Ordinal)).Select(a => a.Id).ToList();
    });

    private Task<IReadOnlyCollection<int>> ExpectedCasesAsync(string q) => factory.InDbAsync<IReadOnlyCollection<int>>(async db =>
    {
        var rows = await db.Cases.AsNoTracking().Select(c => new { c.Id, c.SearchTitle }).ToListAsync();
        var number = CaseNumber.TryParse(q);
        var folded = SearchText.Fold(q);
        return rows.Where(c => number is { } n ? c.Id == n : folded.Length == 0 || c.SearchTitle.Contains(folded, StringComparison.Ordinal))
            .Select(c => c.Id).ToList();
    });

    private Task<IReadOnlyCollection<int>> ExpectedCaseLookupAsync(string q, int parentId) => factory.InDbAsync<IReadOnlyCollection<int>>(async db =>
    {
        var contacts = await ContactTermsAsync(db);
        var words = SearchText.SearchWords(q);
        var rows = await db.Cases.AsNoTracking()
            .Where(c => c.Id != parentId && (c.Status == CaseStatus.New || c.Status == CaseStatus.InProgress || c.Status == CaseStatus.OnHold) && c.ChildCount == 0 && c.ParentId == null)
            .Select(c => new { c.Id, c.SearchTitle, c.ContactId }).ToListAsync();
        var number = CaseNumber.TryParse(q);
        var folded = SearchText.Fold(q);
        return rows.Where(c => number is { } n ? c.Id == n
                : folded.Length == 0 || c.SearchTitle.Contains(folded, StringComparison.Ordinal) || (words.Count > 0 && StartTerms(words, contacts[c.ContactId])))
            .Select(c => c.Id).ToList();
    });

    private static readonly SemaphoreSlim SeedLock = new(1, 1);
    private static readonly Dictionary<SecurityWebFactory, string> Seeded = [];

    /// <summary>Rows with quotes, percent signs and SQL words in them, once per app; returns their tag.</summary>
    private async Task<string> SeedAsync()
    {
        await SeedLock.WaitAsync();
        try
        {
            if (!Seeded.TryGetValue(factory, out var tag))
            {
                tag = "t" + Guid.NewGuid().ToString("N")[..7];
                var data = await factory.DataAsync();
                var account = await data.AccountAsync($"Cuenta 50% {tag}");
                await data.ContactAsync(account, "Seán", $"O'Brien-{tag}");
                await data.ContactAsync(null, "Robert'); DROP TABLE Students;--", tag);
                await data.CaseAsync(fields: data.Fields(title: $"Fallo SELECT * FROM usuarios {tag}"));
                await factory.SharedWorldAsync();
                Seeded[factory] = tag;
            }

            return tag;
        }
        finally
        {
            SeedLock.Release();
        }
    }

    public sealed class Sqlite(SqliteSecurityFactory factory, ITestOutputHelper output) : SqlInjectionTests(factory, output), IClassFixture<SqliteSecurityFactory>;

    public sealed class Postgres(PostgresSecurityFactory factory, ITestOutputHelper output) : SqlInjectionTests(factory, output), IClassFixture<PostgresSecurityFactory>;
}
