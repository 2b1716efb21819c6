using CaseCrm.Domain.Accounts;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using AccountEntity = CaseCrm.Domain.Accounts.Account;

namespace CaseCrm.IntegrationTests.Features;

/// <summary>
/// Rows for one test in an app's database that other tests share: like <see cref="TestData"/>, but every name is new (category
/// names are unique), so that any number of tests can make their own. The demo agent creates the cases, through the case
/// service as the app does. Returned entities are detached snapshots.
/// </summary>
public sealed class FeatureData
{
    private readonly TestDatabase _database;

    private FeatureData(TestDatabase database, AppUser user)
    {
        _database = database;
        User = user;
    }

    /// <summary>The demo agent: the creator of the cases.</summary>
    public AppUser User { get; }

    public Category Category { get; private set; } = null!;

    public AccountEntity Account { get; private set; } = null!;

    /// <summary>A contact of <see cref="Account"/>.</summary>
    public Contact Contact { get; private set; } = null!;

    public static async Task<FeatureData> CreateAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == FeatureKit.Agent.Email);
        var data = new FeatureData(database, user);
        data.Category = await data.CategoryAsync();
        data.Account = await data.AccountAsync();
        data.Contact = await data.ContactAsync(data.Account);
        return data;
    }

    public Task<Category> CategoryAsync(string? name = null, bool isActive = true) =>
        AddAsync(new Category { Name = name ?? "Categoría " + FeatureKit.Token(), IsActive = isActive });

    public Task<AccountEntity> AccountAsync(string? name = null) =>
        AddAsync(new AccountEntity(new AccountDetails(name ?? "Cuenta " + FeatureKit.Token(), null, null, null, null, null), null, DateTime.UtcNow));

    /// <summary>A contact, of <paramref name="account"/> when given.</summary>
    public Task<Contact> ContactAsync(AccountEntity? account = null, string? firstName = null, string? lastName = null)
    {
        var details = new ContactDetails(firstName ?? "Nombre", lastName ?? "Apellido " + FeatureKit.Token(), null, null, null, null, account?.Id);
        return AddAsync(new Contact(details, account?.Name, null, DateTime.UtcNow));
    }

    /// <summary>Valid input for a case: the default category, no account (so it follows the contact's).</summary>
    public CaseFields Fields(
        string? title = null, int? categoryId = null, int? accountId = null, CasePriority? priority = null,
        string? description = null, string? resolution = null, CaseOrigin? origin = null) =>
        new(title ?? "Caso " + FeatureKit.Token(), accountId, categoryId ?? Category.Id, priority, description ?? "Descripción de prueba.", resolution, origin);

    /// <summary>A case of <paramref name="contact"/> (default: <see cref="Contact"/>), created through the case service.</summary>
    public Task<Case> CaseAsync(Contact? contact = null, CaseFields? fields = null, CaseStatus status = CaseStatus.New) =>
        _database.CaseInStatusAsync((contact ?? Contact).Id, fields ?? Fields(), status, User.Id);

    /// <summary>A case of <see cref="Contact"/> whose title starts with <paramref name="title"/> and is used by no other test.</summary>
    public Task<Case> UniqueCaseAsync(string title = "Caso", CaseStatus status = CaseStatus.New, int? categoryId = null, CasePriority? priority = null) =>
        CaseAsync(fields: Fields(
            title: $"{title} {FeatureKit.Token()}", categoryId: categoryId, priority: priority,
            resolution: status == CaseStatus.Resolved ? "Resuelto en la prueba." : null), status: status);

    /// <summary><paramref name="count"/> new active cases of <see cref="Contact"/>, in the order of their numbers.</summary>
    public async Task<IReadOnlyList<Case>> CasesAsync(int count)
    {
        var cases = new List<Case>(count);
        for (var i = 0; i < count; i++)
        {
            cases.Add(await CaseAsync());
        }

        return cases;
    }

    /// <summary>A new parent with <paramref name="childCount"/> (at least one) new children, associated through the case service.</summary>
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

    private async Task<T> AddAsync<T>(T entity)
        where T : class
    {
        await using var db = _database.NewContext();
        db.Add(entity);
        await db.SaveChangesAsync();
        return entity;
    }
}
