using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Data.Identity;
using CaseCrm.Data.Sqlite;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseCrm.IntegrationTests.Concurrency;

/// <summary>
/// The application's SQLite connections keep temporary data in memory and leave the log to the background checkpointer
/// up to 10,000 pages (<see cref="SqliteConnectionSettings"/>, ADR 0034); the checkpointer copies what the requests wrote
/// into the database file without any request doing it. What it does to CPU and latency is measured by
/// scripts/benchmark.sh, not here.
/// </summary>
public sealed class SqliteCheckpointTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>
{
    [Fact]
    public async Task TheAppsConnections_HaveTheirSettings_AndTheCheckpointerCopiesTheLog()
    {
        var data = await TestData.CreateAsync(factory.Database, DbInitializer.DemoUsers.Single(u => u.Role == Roles.Agent).Email);
        var copiedBefore = SqliteCheckpointer.Frames;

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            await db.Database.OpenConnectionAsync();
            try
            {
                Assert.Equal(2L, await PragmaAsync(db, "temp_store")); // MEMORY
                Assert.Equal(10_000L, await PragmaAsync(db, "wal_autocheckpoint"));
                Assert.Equal("wal", await PragmaAsync(db, "journal_mode"));
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            var cases = scope.ServiceProvider.GetRequiredService<CaseService>();
            for (var i = 0; i < 20; i++)
            {
                await cases.AddToContactAsync(data.Contact.Id, data.Fields(), CaseStatus.New, data.User.Id);
            }
        }

        // Far fewer than 10,000 pages were written, so no commit copied them: the checkpointer, within a few of its seconds.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (SqliteCheckpointer.Frames == copiedBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(SqliteCheckpointer.Frames > copiedBefore, $"no page of the log was copied in 30 s ({copiedBefore} → {SqliteCheckpointer.Frames})");
    }

    private static async Task<object?> PragmaAsync(CrmDbContext db, string pragma)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA " + pragma;
        return await command.ExecuteScalarAsync();
    }
}
