using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CaseCrm.BrowserTests.Infrastructure;

/// <summary>
/// The real app on Kestrel, on a free loopback port, over its own SQLite file: the app migrates it and seeds the
/// demo users and data at start, in the Development environment, exactly as a first run does.
/// </summary>
internal sealed class CrmApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public CrmApp(string databaseFile)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Default"] = $"Data Source={databaseFile}",
            ["Seed:Demo"] = "true",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // All tests sign in from the loopback address, more often than a person would.
            ["SignIn:PermitLimit"] = "100000",
            // The mailboxes the tests make point at no server: nothing is read, and a reply stays "En cola".
            ["Email:Receive"] = "false",
            ["Email:Send"] = "false",
        };
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>Starts the server (migrating and seeding) and returns where it listens, such as http://127.0.0.1:41234/.</summary>
    public Uri Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var address = addresses.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel started without an address.");
        return new Uri(address.TrimEnd('/') + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        // UseSetting reaches Program before it reads the configuration; the in-memory source keeps later reads right too.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
    }
}
