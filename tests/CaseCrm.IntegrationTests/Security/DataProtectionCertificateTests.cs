using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Concurrency;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// docs/security.md: with <c>DataProtection:CertificatePath</c> the keys that sign cookies and form tokens are stored
/// encrypted in the database; every instance given the certificate reads them, one without it cannot, and a replaced
/// certificate given as the previous one keeps the keys it encrypted readable.
/// </summary>
public sealed class DataProtectionCertificateTests : IAsyncLifetime
{
    private const string Password = "prueba-certificado";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "casecrm-dp-" + Guid.NewGuid().ToString("N"));
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _database = await TestDatabase.CreateEmptyAsync(DatabaseProvider.Sqlite);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task KeysAreStoredEncrypted_AndOnlyInstancesWithTheCertificateReadTheCookies()
    {
        var settings = new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = CreateCertificate("first"),
            ["DataProtection:CertificatePassword"] = Password,
        };
        var browser = new CookieContainer();
        await using var first = new KestrelCrmHost(DatabaseProvider.Sqlite, _database.ConnectionString, settings: settings);
        await Task.Run(first.Start);
        using (var client = first.CreateBrowser(browser))
        {
            await client.SignInAsAsync(Roles.Agent);
        }

        await using (var db = _database.NewContext())
        {
            var xml = Assert.Single(await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        }

        await using var second = new KestrelCrmHost(DatabaseProvider.Sqlite, _database.ConnectionString, settings: settings);
        await Task.Run(second.Start);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(second, browser));

        await using var withoutCertificate = new KestrelCrmHost(DatabaseProvider.Sqlite, _database.ConnectionString);
        await Task.Run(withoutCertificate.Start);
        Assert.Equal(HttpStatusCode.Redirect, await StatusAsync(withoutCertificate, browser));
    }

    [Fact]
    public async Task AReplacedCertificate_StaysReadableAsThePreviousOne()
    {
        var old = CreateCertificate("old");
        var browser = new CookieContainer();
        await using var before = new KestrelCrmHost(DatabaseProvider.Sqlite, _database.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = old,
            ["DataProtection:CertificatePassword"] = Password,
        });
        await Task.Run(before.Start);
        using (var client = before.CreateBrowser(browser))
        {
            await client.SignInAsAsync(Roles.Agent);
        }

        var renewed = CreateCertificate("new");
        await using var onlyTheNew = new KestrelCrmHost(DatabaseProvider.Sqlite, _database.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = renewed,
            ["DataProtection:CertificatePassword"] = Password,
        });
        await Task.Run(onlyTheNew.Start);
        Assert.Equal(HttpStatusCode.Redirect, await StatusAsync(onlyTheNew, browser));

        await using var after = new KestrelCrmHost(DatabaseProvider.Sqlite, _database.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = renewed,
            ["DataProtection:CertificatePassword"] = Password,
            ["DataProtection:PreviousCertificatePath"] = old,
            ["DataProtection:PreviousCertificatePassword"] = Password,
        });
        await Task.Run(after.Start);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(after, browser));
    }

    private static async Task<HttpStatusCode> StatusAsync(KestrelCrmHost host, CookieContainer browser)
    {
        using var client = host.CreateBrowser(browser);
        using var response = await client.GetAsync(new Uri("/Cases", UriKind.Relative));
        return response.StatusCode;
    }

    /// <summary>A self-signed certificate in a password-protected PFX file, as an administrator would provide.</summary>
    private string CreateCertificate(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=CaseCrm data protection (test)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_folder, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }
}
