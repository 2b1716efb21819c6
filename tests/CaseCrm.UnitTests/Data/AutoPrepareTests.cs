using CaseCrm.Data;
using Npgsql;
using Xunit;

namespace CaseCrm.UnitTests.Data;

/// <summary>The PostgreSQL connection prepares its repeated statements unless the connection string says otherwise (ADR 0037).</summary>
public class AutoPrepareTests
{
    [Fact]
    public void AConnectionStringWithoutTheSetting_PreparesTheRepeatedStatements()
    {
        var changed = new NpgsqlConnectionStringBuilder(DataServiceCollectionExtensions.WithAutoPrepare("Host=127.0.0.1;Database=crm;Username=crm", 64));

        Assert.Equal(64, changed.MaxAutoPrepare);
        Assert.Equal(2, changed.AutoPrepareMinUsages);
        Assert.Equal("crm", changed.Database);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Max Auto Prepare=0")]
    [InlineData("Host=127.0.0.1;MaxAutoPrepare=10")]
    public void AConnectionStringThatSaysIt_IsLeftAsItIs(string connectionString) =>
        Assert.Equal(connectionString, DataServiceCollectionExtensions.WithAutoPrepare(connectionString, 64));

    [Fact]
    public void NoStatementsKept_LeavesTheConnectionStringAsItIs() =>
        Assert.Equal("Host=127.0.0.1", DataServiceCollectionExtensions.WithAutoPrepare("Host=127.0.0.1", 0));
}
