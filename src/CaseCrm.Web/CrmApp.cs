using CaseCrm.Data;
using CaseCrm.Web.Infrastructure;

namespace CaseCrm.Web;

/// <summary>
/// How the app is put together, for Program.cs and for a host that runs the same app with additions of its own
/// (services on the builder, startup filters, endpoints on the built app), such as benchmarks/CaseCrm.Benchmarks.
/// </summary>
public static class CrmApp
{
    public static WebApplicationBuilder CreateBuilder(string[] args) => CreateBuilder(new WebApplicationOptions { Args = args });

    public static WebApplicationBuilder CreateBuilder(WebApplicationOptions options)
    {
        var builder = WebApplication.CreateBuilder(options);
        builder.AddCrmLogging();
        builder.Services.AddCrmData(builder.Configuration);
        builder.Services.AddCrmWeb(builder.Configuration, builder.Environment);
        return builder;
    }

    /// <summary>Builds the app, migrates and seeds the database and sets up the pipeline; the caller runs it.</summary>
    public static async Task<WebApplication> BuildAsync(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        await app.InitializeDatabaseAsync();
        app.UseCrmPipeline();
        app.PrintStartupBanner();
        return app;
    }
}
