using CaseCrm.Data;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace CaseCrm.IntegrationTests.Features.CaseWork;

/// <summary>
/// The web app over SQLite with the per-file attachment limit configured down to <see cref="MaxFileBytes"/>
/// (<c>Attachments:MaxFileBytes</c>), so that "too large" needs no 10 MB upload.
/// </summary>
public sealed class SmallAttachmentLimitFactory() : CrmWebFactory(DatabaseProvider.Sqlite)
{
    public const int MaxFileBytes = 100 * 1024;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var limit = MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.UseSetting("Attachments:MaxFileBytes", limit);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?> { ["Attachments:MaxFileBytes"] = limit }));
    }
}
