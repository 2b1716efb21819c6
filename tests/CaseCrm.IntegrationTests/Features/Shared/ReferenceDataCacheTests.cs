using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.IntegrationTests.Features.Shared;

/// <summary>
/// Categories, users and settings come from the cache of reference data (ADR 0012): reading them again costs no SQL,
/// and what an administrator saves shows at once on the instance that saved it.
/// </summary>
public sealed class ReferenceDataCacheTests(CachedSqliteWebFactory factory) : IClassFixture<CachedSqliteWebFactory>
{
    [Fact]
    public async Task ACategoryTheAdministratorCreates_IsOfferedAtOnce_AndTheFormReadsNoCategoriesFromTheDatabase()
    {
        var contactId = await factory.InDbAsync(db => db.Contacts.Select(c => c.Id).FirstAsync());
        var agent = await factory.CreateSignedInClientAsync(Roles.Agent);
        var admin = await factory.CreateSignedInClientAsync(Roles.Administrator);
        var formUrl = $"/Contacts/{contactId}/Cases/Create";
        using (await agent.GetAsync(new Uri(formUrl, UriKind.Relative)))
        {
        }

        using (var sql = factory.SqlCommands.Measure(agent))
        {
            using var again = await agent.GetAsync(new Uri(formUrl, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.DoesNotContain(sql.Commands, c => c.Contains("\"Categories\"", StringComparison.Ordinal) && !c.Contains("\"Cases\"", StringComparison.Ordinal));
        }

        var name = "Garantía " + Guid.NewGuid().ToString("N")[..6];
        var create = await admin.GetFormAsync("/Categories", "#category-form");
        create.Set("Name", name);
        using (var saved = await create.PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        var page = await agent.GetStringAsync(new Uri(formUrl, UriKind.Relative));
        Assert.Contains(name, page, StringComparison.Ordinal);
    }
}
