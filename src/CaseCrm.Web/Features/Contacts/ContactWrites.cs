using CaseCrm.Data;
using CaseCrm.Data.Activities;
using CaseCrm.Domain.Contacts;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Features.Contacts;

/// <summary>
/// Creating and editing a contact: what the contact pages and the API (<see cref="ContactsApiController"/>) do after
/// their form is valid, so that both write the same way (the search terms with the contact, the activities' account
/// following a new account in the same transaction).
/// </summary>
public sealed class ContactWrites(CrmDbContext db, CurrentUser me, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The name of the account a contact works for (its search terms hold it); null when it does not exist.</summary>
    public Task<string?> AccountNameAsync(int accountId, CancellationToken ct) =>
        db.Accounts.Where(a => a.Id == accountId).Select(a => a.Name).SingleOrDefaultAsync(ct);

    /// <summary>Saves a new contact owned by the acting user; <paramref name="accountName"/> is its account's.</summary>
    public async Task<Contact> CreateAsync(ContactDetails details, string? accountName, CancellationToken ct)
    {
        var contact = new Contact(details, accountName, me.IdOrNull, Now);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(ct);
        return contact;
    }

    /// <summary>The contact to edit, tracked, with its search terms; null when it does not exist.</summary>
    public Task<Contact?> FindAsync(int id, CancellationToken ct) =>
        db.Contacts.Include(c => c.SearchTerms).SingleOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>Saves an edit of <paramref name="contact"/> (read by <see cref="FindAsync"/>).</summary>
    public async Task UpdateAsync(Contact contact, ContactDetails details, string? accountName, CancellationToken ct)
    {
        var accountBefore = contact.AccountId;
        contact.Update(details, accountName, Now);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (contact.AccountId != accountBefore)
        {
            await db.FollowContactAccountAsync(contact.Id, contact.AccountId, ct);
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
