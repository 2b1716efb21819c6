using System.Net;
using CaseCrm.Data;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseCrm.IntegrationTests;

/// <summary>The app starts, migrates and seeds on each provider, and reports itself healthy.</summary>
public abstract class HealthTests(CrmWebFactory factory)
{
    [Fact]
    public async Task Health_AnswersHealthyToAnonymousVisitors()
    {
        var client = factory.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task App_RunsOnTheConfiguredDatabaseWithTheDemoSeed()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();

        Assert.Equal(factory.Provider == DatabaseProvider.Postgres ? typeof(PostgresCrmDbContext) : typeof(SqliteCrmDbContext), db.GetType());
        // PostgreSQL's connection prepares the repeated statements (ADR 0037); otherwise the configured string as it is.
        Assert.Equal(
            factory.Provider == DatabaseProvider.Postgres ? DataServiceCollectionExtensions.WithAutoPrepare(factory.Database.ConnectionString, 64) : factory.Database.ConnectionString,
            db.Database.GetConnectionString());
        var emails = await factory.InDbAsync(d => d.Users.Select(u => u.Email).ToListAsync());
        Assert.Superset(DbInitializer.DemoUsers.Select(u => (string?)u.Email).ToHashSet(), emails.ToHashSet());
    }

    public sealed class Sqlite(SqliteWebFactory factory) : HealthTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : HealthTests(factory), IClassFixture<PostgresWebFactory>;
}
