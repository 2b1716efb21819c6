using CaseCrm.Data;
using CaseCrm.Domain.Contacts;
using CaseCrm.IntegrationTests.Concurrency;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.Web.Features.Contacts;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CaseCrm.IntegrationTests.Performance;

/// <summary>
/// A database of the previous version (migrated up to <c>SubstringSearch</c>, contacts written with the old
/// <c>SearchText</c> column and, on SQLite, its FTS5 triggers): the app's start applies <c>ContactSearchTerms</c>
/// (ADR 0009), drops the old search objects, gives every contact its terms, and the search finds them.
/// </summary>
public abstract class ContactSearchUpgradeTests(DatabaseProvider provider) : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateEmptyAsync(provider);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Start_MigratesTheOldSearch_AndIndexesTheContactsAlreadyThere()
    {
        await using (var db = _database.NewContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("SubstringSearch");
            var now = DateTime.UtcNow;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Contacts" ("FirstName", "LastName", "Email", "Phone", "SearchText", "SortName", "CreatedAt", "UpdatedAt")
                VALUES ('Eustaquio', 'Zubizarreta Ñúñez', 'eustaquio@panaderia.test', '+52 55 9876 5432', 'eustaquio zubizarreta nunez eustaquio@panaderia.test +52 55 9876 5432 525598765432', 'zubizarreta nunez eustaquio', {now}, {now}),
                       ('Filomena', 'Quintanilla', NULL, NULL, 'filomena quintanilla', 'quintanilla filomena', {now}, {now})
                """);
        }

        await using (var host = new KestrelCrmHost(provider, _database.ConnectionString))
        {
            await Task.Run(host.Start);
        }

        await using var check = _database.NewContext();
        var eustaquio = await check.Contacts.Include(c => c.SearchTerms).SingleAsync(c => c.FirstName == "Eustaquio");
        var expected = new Contact { FirstName = eustaquio.FirstName, LastName = eustaquio.LastName, Email = eustaquio.Email, Phone = eustaquio.Phone };
        expected.RefreshSearchText(null);
        Assert.Equal(expected.SearchTerms!.Select(t => (t.Term, t.SortName)).Order(), eustaquio.SearchTerms!.Select(t => (t.Term, t.SortName)).Order());

        var found = await new ContactQueries(check).ListAsync("zubizarreta 9876", new SortOrder("name", false), 1, CancellationToken.None);
        Assert.Equal([eustaquio.Id], found.Items.Select(r => r.Id));
        Assert.Single((await new ContactQueries(check).ListAsync("quintanilla", new SortOrder("name", false), 1, CancellationToken.None)).Items);

        var leftovers = provider == DatabaseProvider.Sqlite
            ? "SELECT count(*) AS \"Value\" FROM sqlite_master WHERE name LIKE '%ContactSearch%' AND name NOT LIKE '%ContactSearchTerms%' OR sql LIKE '%SearchText%'"
            : "SELECT count(*)::int AS \"Value\" FROM pg_indexes WHERE indexname = 'IX_Contacts_SearchText_Trigram'";
        Assert.Equal(0, await check.Database.SqlQueryRaw<int>(leftovers).SingleAsync());
    }

    public sealed class Sqlite() : ContactSearchUpgradeTests(DatabaseProvider.Sqlite);

    public sealed class Postgres() : ContactSearchUpgradeTests(DatabaseProvider.Postgres);
}
