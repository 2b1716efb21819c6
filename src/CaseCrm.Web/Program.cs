using CaseCrm.Data;
using CaseCrm.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddCrmLogging();
builder.Services.AddCrmData(builder.Configuration);
builder.Services.AddCrmWeb(builder.Configuration, builder.Environment);

var app = builder.Build();
await app.InitializeDatabaseAsync();
app.UseCrmPipeline();
app.PrintStartupBanner();
await app.RunAsync();

/// <summary>Entry point; public so that the tests' WebApplicationFactory can find it.</summary>
public partial class Program;
