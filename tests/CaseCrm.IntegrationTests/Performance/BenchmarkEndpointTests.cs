using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;

namespace CaseCrm.IntegrationTests.Performance;

/// <summary>The benchmark's counters and hand-written baseline live in the benchmark host (benchmarks/CaseCrm.Benchmarks): in the app they are 404.</summary>
public sealed class BenchmarkEndpointTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>
{
    [Theory]
    [InlineData("/Benchmark/Stats")]
    [InlineData("/Benchmark/Baseline/Contacts/1?tab=cases")]
    public async Task BenchmarkEndpoints_DoNotExistInTheApp(string url)
    {
        var client = await factory.CreateSignedInClientAsync(Roles.Administrator);

        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
