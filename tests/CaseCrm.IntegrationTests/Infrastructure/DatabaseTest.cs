using CaseCrm.Data;

namespace CaseCrm.IntegrationTests.Infrastructure;

/// <summary>
/// Base of tests that talk to the database without the web app: every test gets a fresh migrated database
/// of <paramref name="provider"/> with the default <see cref="TestData"/>. Write the tests in an abstract
/// class and add one nested sealed subclass per provider, so each test runs on both:
/// <code>
/// public abstract class FooTests(DatabaseProvider provider) : DatabaseTest(provider)
/// {
///     [Fact] public async Task Bar() { var service = Database.NewCaseService(); ... }
///     public sealed class Sqlite() : FooTests(DatabaseProvider.Sqlite);
///     public sealed class Postgres() : FooTests(DatabaseProvider.Postgres);
/// }
/// </code>
/// </summary>
public abstract class DatabaseTest(DatabaseProvider provider) : IAsyncLifetime
{
    protected DatabaseProvider Provider { get; } = provider;

    protected TestDatabase Database { get; private set; } = null!;

    protected TestData Data { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(Provider);
        Data = await TestData.CreateAsync(Database);
    }

    public async Task DisposeAsync()
    {
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}
