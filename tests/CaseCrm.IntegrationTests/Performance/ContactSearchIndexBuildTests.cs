using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Performance;

/// <summary>
/// A database whose contacts have no search terms (one migrated to ADR 0009 with contacts in it): the app's start
/// gives every contact its terms, the same as the ones it writes itself, and the search finds them again.
/// </summary>
public abstract class ContactSearchIndexBuildTests(CrmWebFactory factory)
{
    [Fact]
    public async Task Start_GivesEveryContactItsTerms_WhenTheIndexIsEmpty()
    {
        var written = await TermsAsync();
        Assert.NotEmpty(written);
        await factory.InDbAsync(db => db.ContactSearchTerms.ExecuteDeleteAsync());
        var client = await factory.ClientAsync(Roles.Agent);
        Assert.DoesNotContain("Ramón Núñez", await client.GetStringAsync("/Contacts?q=nunez"), StringComparison.Ordinal);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DbInitializer>().InitializeAsync();
        }

        Assert.Equal(written, await TermsAsync());
        Assert.Contains("Ramón Núñez", await client.GetStringAsync("/Contacts?q=nunez"), StringComparison.Ordinal);
    }

    private Task<List<(int, string, string)>> TermsAsync() => factory.InDbAsync(async db =>
        (await db.ContactSearchTerms.OrderBy(t => t.ContactId).ThenBy(t => t.Term).Select(t => new { t.ContactId, t.Term, t.SortName }).ToListAsync())
        .ConvertAll(t => (t.ContactId, t.Term, t.SortName)));

    public sealed class Sqlite(SqliteWebFactory factory) : ContactSearchIndexBuildTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ContactSearchIndexBuildTests(factory), IClassFixture<PostgresWebFactory>;
}
