using System.Data.Common;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.Domain.Text;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CaseCrm.IntegrationTests.Performance;

/// <summary>
/// The "contains" searches of the contact list and the case list (ADR 0008): the same answers as a plain substring
/// test on every provider, kept current when rows are added, changed and deleted, and served by the provider's
/// substring index (SQLite FTS5 trigram tables, PostgreSQL pg_trgm GIN indexes).
/// </summary>
public abstract class SubstringSearchTests(DatabaseProvider provider) : DatabaseTest(provider)
{
    [Theory]
    [InlineData("zarzuela")]                 // one word of the last name
    [InlineData("arzu")]                     // inside a word
    [InlineData("ramona zarzuela")]          // every word must be there, in any order
    [InlineData("zarzuela ra")]              // a word shorter than a trigram
    [InlineData("ra zu")]                    // only short words
    [InlineData("686123456")]                // the phone's digits
    [InlineData("r.zarzuela@lonja")]         // email punctuation
    public async Task ContactSearch_FindsEveryContactThatContainsEveryWord(string typed)
    {
        var wanted = await ContactAsync("Ramona", "Zarzuela Ñúñez", "r.zarzuela@lonja.test", "+34 686 123 456");
        var other = await ContactAsync("Ramón", "Pérez", "rperez@lonja.test", "+34 611 000 000");

        var found = await SearchContactsAsync(typed);

        Assert.Contains(wanted.Id, found);
        Assert.DoesNotContain(other.Id, found);
        Assert.Equal(await ExpectedContactsAsync(typed), found);
    }

    [Theory]
    [InlineData("100%")]
    [InlineData("a_b")]
    [InlineData("\"comillas\"")]
    [InlineData("barra\\")]
    [InlineData("OR AND NOT")]
    [InlineData("*")]
    public async Task ContactSearch_PatternAndQuerySyntaxCharactersMatchThemselves(string word)
    {
        var literal = await ContactAsync("Marta", "Literal " + word, null, null);
        var near = await ContactAsync("Marta", "Literal " + word.Replace('%', 'x').Replace('_', 'x').Replace('"', 'x').Replace('\\', 'x').Replace('*', 'x').Replace('O', 'x'), null, null);

        var found = await SearchContactsAsync(word);

        Assert.Contains(literal.Id, found);
        Assert.DoesNotContain(near.Id, found);
    }

    [Theory]
    [InlineData("𝔸𝔹ℂ𝔻")]       // characters outside the BMP: trigrams are cut by character, never inside a surrogate pair
    [InlineData("𝔹ℂ")]
    [InlineData("ab𝔸𝔹ℂcd")]
    public async Task ContactSearch_CutsTrigramsByCharacter(string typed)
    {
        var wanted = await ContactAsync("Símbolos", "ab𝔸𝔹ℂ𝔻cd", null, null);

        var found = await SearchContactsAsync(typed);

        Assert.Equal(await ExpectedContactsAsync(typed), found);
        Assert.Equal(SearchText.Fold("ab𝔸𝔹ℂ𝔻cd").Contains(SearchText.Fold(typed), StringComparison.Ordinal), found.Contains(wanted.Id));
    }

    [Fact]
    public async Task ContactSearch_FollowsInsertsUpdatesAndDeletes()
    {
        var contact = await ContactAsync("Eulalia", "Quiroga", null, null);
        Assert.Equal([contact.Id], await SearchContactsAsync("quiroga"));

        await using (var db = Database.NewContext())
        {
            var tracked = await db.Contacts.SingleAsync(c => c.Id == contact.Id);
            tracked.LastName = "Valdivieso";
            tracked.RefreshSearchText(null);
            await db.SaveChangesAsync();
        }

        Assert.Empty(await SearchContactsAsync("quiroga"));
        Assert.Equal([contact.Id], await SearchContactsAsync("valdivieso"));

        await using (var db = Database.NewContext())
        {
            await db.Contacts.Where(c => c.Id == contact.Id).ExecuteDeleteAsync();
        }

        Assert.Empty(await SearchContactsAsync("valdivieso"));
    }

    [Theory]
    [InlineData("medidor")]
    [InlineData("MEDIDOR AVERIADO")]
    [InlineData("averíado en")]
    [InlineData("do")]
    public async Task CaseTitleSearch_FindsTheCasesWhoseTitleContainsTheText(string typed)
    {
        var wanted = await Data.CaseAsync(fields: Data.Fields(title: "Medidor averiado en la calle Mayor"));
        var other = await Data.CaseAsync(fields: Data.Fields(title: "Cambio de titular"));

        var found = await SearchCasesAsync(typed);

        Assert.Contains(wanted.Id, found);
        Assert.DoesNotContain(other.Id, found);
        Assert.Equal(await ExpectedCasesAsync(typed), found);
    }

    [Fact]
    public async Task CaseTitleSearch_FollowsATitleChange()
    {
        var item = await Data.CaseAsync(fields: Data.Fields(title: "Lectura del contador"));
        Assert.Equal([item.Id], await SearchCasesAsync("lectura"));

        await Database.NewCaseService().UpdateAsync(item.Id, item.Version, Data.Fields(title: "Corte de suministro"), item.Status, Data.User.Id);

        Assert.Empty(await SearchCasesAsync("lectura"));
        Assert.Equal([item.Id], await SearchCasesAsync("suministro"));
    }

    [Fact]
    public async Task Searches_AreServedByTheSubstringIndexes()
    {
        await ContactAsync("Indalecio", "Prado", null, null);
        var capture = new LastCommand();
        await using var db = Provider == DatabaseProvider.Sqlite
            ? (CrmDbContext)new SqliteCrmDbContext(new DbContextOptionsBuilder<SqliteCrmDbContext>().UseSqlite(Database.ConnectionString).AddInterceptors(capture).Options)
            : new PostgresCrmDbContext(new DbContextOptionsBuilder<PostgresCrmDbContext>().UseNpgsql(Database.ConnectionString).AddInterceptors(capture).Options);
        await db.Database.OpenConnectionAsync();
        if (Provider == DatabaseProvider.Postgres)
        {
            // The test tables are tiny, so the planner would rather scan: forbid scans to see that the index can serve the query.
            await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
        }

        await db.WhereSearchTextContains(db.Contacts, ["prado"]).OrderBy(c => c.SortName).Take(26).ToListAsync();
        var contactPlan = await capture.PlanAsync(db);
        await db.WhereTitleContains(db.Cases, "contador").OrderByDescending(c => c.UpdatedAt).Take(26).ToListAsync();
        var casePlan = await capture.PlanAsync(db);

        if (Provider == DatabaseProvider.Sqlite)
        {
            Assert.Contains("SCAN s VIRTUAL TABLE INDEX", contactPlan, StringComparison.Ordinal);
            Assert.Contains("SCAN s VIRTUAL TABLE INDEX", casePlan, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("IX_Contacts_SearchText_Trigram", contactPlan, StringComparison.Ordinal);
            Assert.Contains("IX_Cases_SearchTitle_Trigram", casePlan, StringComparison.Ordinal);
        }
    }

    private async Task<Contact> ContactAsync(string first, string last, string? email, string? phone)
    {
        await using var db = Database.NewContext();
        var now = DateTime.UtcNow;
        var contact = new Contact { FirstName = first, LastName = last, Email = email, Phone = phone, CreatedAt = now, UpdatedAt = now };
        contact.RefreshSearchText(null);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();
        return contact;
    }

    private static List<string> Words(string typed) => [.. SearchText.Fold(typed).Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    private async Task<List<int>> SearchContactsAsync(string typed)
    {
        await using var db = Database.NewContext();
        return await db.WhereSearchTextContains(db.Contacts, Words(typed)).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
    }

    /// <summary>What the search must answer, computed in memory over every contact.</summary>
    private async Task<List<int>> ExpectedContactsAsync(string typed)
    {
        await using var db = Database.NewContext();
        var all = await db.Contacts.OrderBy(c => c.Id).Select(c => new { c.Id, c.SearchText }).ToListAsync();
        return [.. all.Where(c => Words(typed).All(w => c.SearchText.Contains(w, StringComparison.Ordinal))).Select(c => c.Id)];
    }

    private async Task<List<int>> SearchCasesAsync(string typed)
    {
        await using var db = Database.NewContext();
        return await db.WhereTitleContains(db.Cases, SearchText.Fold(typed)).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
    }

    private async Task<List<int>> ExpectedCasesAsync(string typed)
    {
        await using var db = Database.NewContext();
        var all = await db.Cases.OrderBy(c => c.Id).Select(c => new { c.Id, c.SearchTitle }).ToListAsync();
        return [.. all.Where(c => c.SearchTitle.Contains(SearchText.Fold(typed), StringComparison.Ordinal)).Select(c => c.Id)];
    }

    /// <summary>Keeps the text and parameters of the last query a context ran, to ask the database for its plan.</summary>
    private sealed class LastCommand : DbCommandInterceptor
    {
        private string _text = "";
        private List<(string Name, object? Value)> _parameters = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            _text = command.CommandText;
            _parameters = [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value))];
            return ValueTask.FromResult(result);
        }

        public async Task<string> PlanAsync(CrmDbContext db)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = (db.Database.IsSqlite() ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + _text;
            foreach (var (name, value) in _parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            var plan = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetValue(reader.FieldCount - 1).ToString() ?? "");
            }

            return string.Join('\n', plan);
        }
    }

    public sealed class Sqlite() : SubstringSearchTests(DatabaseProvider.Sqlite);

    public sealed class Postgres() : SubstringSearchTests(DatabaseProvider.Postgres);
}
