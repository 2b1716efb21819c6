using CaseCrm.Benchmarks;
using CaseCrm.Web;
using Microsoft.AspNetCore.Builder;

// The app as src/CaseCrm.Web runs it, plus the counters and the baseline (BenchmarkSetup).
var builder = CrmApp.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // The app's controllers and compiled views are found from the application's assembly, which is the Web's.
    ApplicationName = typeof(CrmApp).Assembly.GetName().Name,
    EnvironmentName = BenchmarkSetup.EnvironmentName,
    ContentRootPath = AppContext.BaseDirectory,
});
if (args is ["email-intake", ..])
{
    // INTAKE=1 scripts/benchmark.sh: the email intake benchmark instead of the web server.
    return await EmailIntakeBenchmark.RunAsync(builder);
}

builder.Services.AddCrmBenchmark();
var app = await CrmApp.BuildAsync(builder);
app.MapCrmBenchmark();
await app.RunAsync();
return 0;
