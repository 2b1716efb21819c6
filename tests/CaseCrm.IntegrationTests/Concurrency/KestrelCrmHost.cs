using System.Net;
using CaseCrm.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CaseCrm.IntegrationTests.Concurrency;

/// <summary>
/// One instance of the real app on Kestrel, on a free 127.0.0.1 port, over a database that other instances may share
/// (the database is the caller's: this host neither creates nor drops it). It migrates and seeds at start, by default in
/// the Development environment with the demo seed, as every instance of a scaled-out deployment does.
/// Several hosts over one connection string are several app instances behind a load balancer.
/// </summary>
internal sealed class KestrelCrmHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;
    private Uri? _address;

    /// <param name="provider">The database provider.</param>
    /// <param name="connectionString">The shared database.</param>
    /// <param name="environment">The hosting environment; Development (with the demo seed) unless given.</param>
    /// <param name="settings">Configuration that replaces or adds to the defaults (for instance <c>Seed:Demo=false</c>).</param>
    public KestrelCrmHost(DatabaseProvider provider, string connectionString, string environment = "Development", IReadOnlyDictionary<string, string?>? settings = null)
    {
        _environment = environment;
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:Default"] = connectionString,
            ["Seed:Demo"] = "true",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // Every client signs in from the loopback address.
            ["SignIn:PermitLimit"] = "100000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>Where the instance listens, such as http://127.0.0.1:41234/ (after <see cref="Start"/>).</summary>
    public Uri Address => _address ?? throw new InvalidOperationException("The host is not started.");

    /// <summary>Starts the instance (migrating and seeding) and returns its address.</summary>
    public Uri Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var address = addresses.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel started without an address.");
        _address = new Uri(address.TrimEnd('/') + "/");
        return _address;
    }

    /// <summary>
    /// A browser tab on this instance: real HTTP over loopback, redirects shown, not followed. Pass the same
    /// <paramref name="cookies"/> to clients of several instances to model one browser behind a load balancer
    /// (cookies belong to the host name, 127.0.0.1, whatever the port).
    /// </summary>
    public HttpClient CreateBrowser(CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies }, disposeHandler: true)
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(60),
        };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // UseSetting reaches Program before it reads the configuration; the in-memory source keeps later reads right too.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
    }
}
