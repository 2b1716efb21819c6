using System.Globalization;
using CaseCrm.Data;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace CaseCrm.IntegrationTests.Features.CaseWork;

/// <summary>
/// The web app over SQLite with small attachment quotas (<c>Attachments:*</c>), so that a full case, an hourly quota and
/// an over-large request need no megabytes: 100 KB a file, 250 KB a case, 400 KB a user an hour.
/// </summary>
public sealed class AttachmentQuotaFactory() : CrmWebFactory(DatabaseProvider.Sqlite)
{
    public const int MaxFileBytes = 100 * 1024;
    public const int MaxCaseBytes = 250 * 1024;
    public const int MaxUserBytesPerHour = 400 * 1024;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var settings = new Dictionary<string, string?>
        {
            ["Attachments:MaxFileBytes"] = MaxFileBytes.ToString(CultureInfo.InvariantCulture),
            ["Attachments:MaxCaseBytes"] = MaxCaseBytes.ToString(CultureInfo.InvariantCulture),
            ["Attachments:MaxUserBytesPerHour"] = MaxUserBytesPerHour.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
    }
}
