using CaseCrm.Web;

var app = await CrmApp.BuildAsync(CrmApp.CreateBuilder(args));
await app.RunAsync();

/// <summary>Entry point; public so that the tests' WebApplicationFactory can find it.</summary>
public partial class Program;
