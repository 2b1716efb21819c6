using CaseCrm.Domain.Accounts;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using Microsoft.EntityFrameworkCore;
// The test namespace CaseCrm.IntegrationTests.Account (sign-in, mirroring Features/Account) hides the entity's simple name.
using AccountEntity = CaseCrm.Domain.Accounts.Account;

namespace CaseCrm.IntegrationTests.Infrastructure;

/// <summary>
/// Builds rows in a <see cref="TestDatabase"/>. <see cref="CreateAsync"/> makes the defaults that most tests need —
/// a user (cases need a creator), an active category, an account and a contact of that account — and each other
/// method adds more. Cases go through <see cref="CaseService.AddToContactAsync"/>, as the app creates them.
/// Returned entities are detached snapshots; read the database again to see later changes.
/// </summary>
public sealed class TestData
{
    private readonly TestDatabase _database;
    private int _sequence;

    private TestData(TestDatabase database) => _database = database;

    /// <summary>The user that creates the cases (<see cref="Case.CreatedById"/> must name an existing user).</summary>
    public AppUser User { get; private set; } = null!;

    public Category Category { get; private set; } = null!;

    public AccountEntity Account { get; private set; } = null!;

    /// <summary>A contact of <see cref="Account"/>.</summary>
    public Contact Contact { get; private set; } = null!;

    /// <summary>
    /// The default rows. With <paramref name="userEmail"/> the cases are created by that existing user
    /// (for instance a demo user of the web app); otherwise a new user is made.
    /// </summary>
    public static async Task<TestData> CreateAsync(TestDatabase database, string? userEmail = null)
    {
        var data = new TestData(database);
        data.User = userEmail is null ? await data.UserAsync() : await data.FindUserAsync(userEmail);
        data.Category = await data.CategoryAsync();
        data.Account = await data.AccountAsync();
        data.Contact = await data.ContactAsync(data.Account);
        return data;
    }

    public async Task<AppUser> UserAsync(string? email = null)
    {
        email ??= $"user{Next()}-{Guid.NewGuid():N}@casecrm.test";
        var user = new AppUser
        {
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            EmailConfirmed = true,
            DisplayName = email,
        };
        return await AddAsync(user);
    }

    public Task<Category> CategoryAsync(string? name = null, bool isActive = true) =>
        AddAsync(new Category { Name = name ?? $"Categoría {Next()}", IsActive = isActive });

    public Task<AccountEntity> AccountAsync(string? name = null)
    {
        var now = DateTime.UtcNow;
        return AddAsync(new AccountEntity(new AccountDetails(name ?? $"Cuenta {Next()}", null, null, null, null, null), null, now));
    }

    /// <summary>A contact, of <paramref name="account"/> when given.</summary>
    public Task<Contact> ContactAsync(AccountEntity? account = null, string? firstName = null, string? lastName = null)
    {
        var now = DateTime.UtcNow;
        var details = new ContactDetails(firstName ?? "Nombre", lastName ?? $"Apellido {Next()}", null, null, null, null, account?.Id);
        return AddAsync(new Contact(details, account?.Name, null, now));
    }

    /// <summary>Input for a case, valid by default: the default category, no account (so it follows the contact's).</summary>
    public CaseFields Fields(
        string? title = null,
        int? categoryId = null,
        int? accountId = null,
        CasePriority? priority = null,
        string? description = null,
        string? resolution = null,
        CaseOrigin? origin = null) =>
        new(title ?? $"Caso {Next()}", accountId, categoryId ?? Category.Id, priority, description ?? "Descripción de prueba.", resolution, origin);

    /// <summary>A case for <paramref name="contact"/> (default: <see cref="Contact"/>), created through the case service.</summary>
    public Task<Case> CaseAsync(Contact? contact = null, CaseFields? fields = null, CaseStatus status = CaseStatus.New) =>
        _database.CaseInStatusAsync((contact ?? Contact).Id, fields ?? Fields(), status, User.Id);

    /// <summary><paramref name="count"/> new active cases of <see cref="Contact"/>.</summary>
    public async Task<IReadOnlyList<Case>> CasesAsync(int count)
    {
        var cases = new List<Case>(count);
        for (var i = 0; i < count; i++)
        {
            cases.Add(await CaseAsync());
        }

        return cases;
    }

    /// <summary>A new parent with <paramref name="childCount"/> new children, associated through the case service; read back after.</summary>
    public async Task<(Case Parent, IReadOnlyList<Case> Children)> FamilyAsync(int childCount)
    {
        var parent = await CaseAsync();
        var children = await CasesAsync(childCount);
        await _database.NewCaseService().AddChildrenAsync(parent.Id, children.Select(c => c.Id).ToList(), User.Id);
        var reloaded = new List<Case>(childCount);
        foreach (var child in children)
        {
            reloaded.Add(await _database.FindCaseAsync(child.Id));
        }

        return (await _database.FindCaseAsync(parent.Id), reloaded);
    }

    /// <summary>Changes the parent/child settings row (creating it when missing) as an administrator would.</summary>
    public async Task<ParentChildSettings> SettingsAsync(Action<ParentChildSettings> change)
    {
        await using var db = _database.NewContext();
        var settings = await db.ParentChildSettings.SingleOrDefaultAsync(s => s.Id == ParentChildSettings.SingletonId);
        if (settings is null)
        {
            settings = new ParentChildSettings();
            db.ParentChildSettings.Add(settings);
        }

        change(settings);
        settings.Version++;
        await db.SaveChangesAsync();
        return settings;
    }

    private async Task<T> AddAsync<T>(T entity)
        where T : class
    {
        await using var db = _database.NewContext();
        db.Add(entity);
        await db.SaveChangesAsync();
        return entity;
    }

    private async Task<AppUser> FindUserAsync(string email)
    {
        var normalized = email.ToUpperInvariant();
        await using var db = _database.NewContext();
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized)
            ?? throw new InvalidOperationException($"There is no user {email} in the test database.");
    }

    private int Next() => Interlocked.Increment(ref _sequence);
}
