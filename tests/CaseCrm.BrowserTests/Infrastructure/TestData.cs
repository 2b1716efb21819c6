using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseCrm.BrowserTests.Infrastructure;

/// <summary>A contact that a test made for itself.</summary>
public sealed record TestContact(int Id, string FullName);

/// <summary>A case that a test made for itself.</summary>
public sealed record TestCase(int Id, string Title)
{
    /// <summary>As the UI shows it: CAS-000123.</summary>
    public string Number => CaseNumber.Format(Id);

    public string Url => $"/Cases/{Id}";

    /// <summary>"CAS-000123 Título", as the case page's heading and the association dialog show it.</summary>
    public string Label => $"{Number} {Title}";
}

/// <summary>
/// Test data made through the app's own services (the same <see cref="CaseService"/> that the UI calls), so that
/// every test starts from cases of its own, whatever the other tests did before or do at the same time.
/// The browser then checks what a user sees of them.
/// </summary>
public static class TestData
{
    /// <summary>A short random tag that makes a title or a name unique, so a search finds exactly the test's records.</summary>
    // Always starting with a letter: an all-digit tag (about 1 in 40 random ones) is read by the searches as a case number
    // or a phone, and the list would not find the case by its title.
    public static string NewTag() => "t" + Guid.NewGuid().ToString("N")[..7];

    /// <summary>A new contact named "<paramref name="firstName"/> <paramref name="lastName"/>", optionally of a demo account.</summary>
    public static async Task<TestContact> CreateContactAsync(this BrowserFixture fixture, string firstName, string lastName, string? accountName = null)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var accountId = accountName is null
            ? (int?)null
            : await db.Accounts.Where(a => a.Name == accountName).Select(a => a.Id).SingleAsync();
        var now = DateTime.UtcNow;
        var contact = new Contact(new ContactDetails(firstName, lastName, null, null, null, null, accountId), accountName, null, now);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();
        return new TestContact(contact.Id, contact.FullName);
    }

    /// <summary>An active mailbox to reply from (its servers are never contacted: the browser tests' app neither reads nor sends).</summary>
    public static async Task<string> CreateMailboxAsync(this BrowserFixture fixture)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var address = $"soporte-{NewTag()}@casecrm.test";
        db.Mailboxes.Add(new CaseCrm.Domain.Email.Mailbox
        {
            Name = "Soporte " + address, ImapHost = "127.0.0.1", ImapPort = 1, SmtpHost = "127.0.0.1", SmtpPort = 1, Address = address,
            DisplayName = "Soporte CaseCrm", DefaultCategoryId = await db.Categories.Where(c => c.IsActive).Select(c => c.Id).FirstAsync(),
        });
        await db.SaveChangesAsync();
        return address;
    }

    /// <summary>Gives the contact an email address.</summary>
    public static async Task SetEmailAsync(this BrowserFixture fixture, TestContact contact, string email)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        await db.Contacts.Where(c => c.Id == contact.Id).ExecuteUpdateAsync(c => c.SetProperty(x => x.Email, email));
    }

    /// <summary>A new active case ("Nuevo") of the contact, opened by the demo agent, as "Agregar Caso" would save it.</summary>
    public static async Task<TestCase> CreateCaseAsync(
        this BrowserFixture fixture, TestContact contact, string title, string category = "Solicitud",
        CasePriority? priority = CasePriority.Normal, string description = "Caso de prueba creado por la prueba de navegador.")
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var (service, fields, agentId) = await PrepareAsync(scope.ServiceProvider, title, category, priority, description);
        var created = await service.AddToContactAsync(contact.Id, fields, CaseStatus.New, agentId);
        return new TestCase(created.Id, created.Title);
    }

    /// <summary>A new active child of <paramref name="parent"/>, as "Crear caso secundario" would save it.</summary>
    public static async Task<TestCase> CreateChildAsync(
        this BrowserFixture fixture, TestCase parent, string title, string category = "Solicitud",
        CasePriority? priority = CasePriority.Normal, string description = "Caso secundario creado por la prueba de navegador.")
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var (service, fields, agentId) = await PrepareAsync(scope.ServiceProvider, title, category, priority, description);
        var created = await service.CreateChildAsync(parent.Id, fields, CaseStatus.New, agentId);
        return new TestCase(created.Id, created.Title);
    }

    /// <summary>The closure preference as it is stored now.</summary>
    public static async Task<ClosurePreference> ClosurePreferenceAsync(this BrowserFixture fixture)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CrmDbContext>().ParentChildSettings
            .Where(s => s.Id == ParentChildSettings.SingletonId).Select(s => s.ClosurePreference).SingleAsync();
    }

    /// <summary>
    /// Puts the closure preference back (a test that changed it through the settings page restores it this way,
    /// even when its browser steps failed halfway).
    /// </summary>
    public static async Task SetClosurePreferenceAsync(this BrowserFixture fixture, ClosurePreference preference)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var settings = await db.ParentChildSettings.SingleOrDefaultAsync(s => s.Id == ParentChildSettings.SingletonId);
        if (settings is null)
        {
            settings = new ParentChildSettings();
            db.ParentChildSettings.Add(settings);
        }

        if (settings.ClosurePreference != preference)
        {
            settings.ClosurePreference = preference;
            settings.Version++;
        }

        await db.SaveChangesAsync();
        // Written as the settings page writes it, so the app's cache of reference data forgets the old value too.
        await scope.ServiceProvider.GetRequiredService<ReferenceData>().SettingsChangedAsync(CancellationToken.None);
    }

    private static async Task<(CaseService Service, CaseFields Fields, string AgentId)> PrepareAsync(
        IServiceProvider services, string title, string category, CasePriority? priority, string description)
    {
        var db = services.GetRequiredService<CrmDbContext>();
        var categoryId = await db.Categories.Where(c => c.Name == category).Select(c => c.Id).SingleAsync();
        var agent = await services.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(DemoUsers.Agent.Email)
            ?? throw new InvalidOperationException("The demo agent is missing: the app must run with Seed:Demo=true.");
        var fields = new CaseFields(title, null, categoryId, priority, description, null, null);
        return (services.GetRequiredService<CaseService>(), fields, agent.Id);
    }
}
