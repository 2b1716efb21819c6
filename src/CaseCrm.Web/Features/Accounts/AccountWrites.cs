using CaseCrm.Data;
using CaseCrm.Domain.Accounts;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Features.Accounts;

/// <summary>
/// Creating and editing an account: what the account pages and the API (<see cref="AccountsApiController"/>) do after
/// their form is valid, so that both write the same way (a rename refreshes its contacts' search terms).
/// </summary>
public sealed class AccountWrites(CrmDbContext db, CurrentUser me, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Saves a new account owned by the acting user.</summary>
    public async Task<Domain.Accounts.Account> CreateAsync(AccountDetails details, CancellationToken ct)
    {
        var account = new Domain.Accounts.Account(details, me.IdOrNull, Now);
        db.Accounts.Add(account);
        await db.SaveChangesAsync(ct);
        return account;
    }

    /// <summary>The account to edit, tracked; null when it does not exist.</summary>
    public Task<Domain.Accounts.Account?> FindAsync(int id, CancellationToken ct) => db.Accounts.SingleOrDefaultAsync(a => a.Id == id, ct);

    /// <summary>Saves an edit of <paramref name="account"/> (read by <see cref="FindAsync"/>); a rename brings its contacts' search terms along.</summary>
    public async Task UpdateAsync(Domain.Accounts.Account account, AccountDetails details, CancellationToken ct)
    {
        var contacts = account.IsRenamedBy(details)
            ? await db.Contacts.Include(c => c.SearchTerms).Where(c => c.AccountId == account.Id).ToListAsync(ct)
            : [];
        account.Update(details, contacts, Now);
        await db.SaveChangesAsync(ct);
    }
}
