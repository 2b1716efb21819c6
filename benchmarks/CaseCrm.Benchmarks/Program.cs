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
builder.Services.AddCrmBenchmark();
var app = await CrmApp.BuildAsync(builder);
app.MapCrmBenchmark();
await app.RunAsync();
