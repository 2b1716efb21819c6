using CaseCrm.Data;
using CaseCrm.Data.Activities;
using CaseCrm.Data.Contacts;
using CaseCrm.Domain;
using CaseCrm.Domain.Contacts;
using CaseCrm.Domain.Text;
using CaseCrm.Web.Features.Accounts;
using CaseCrm.Web.Features.Contacts;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Import;

public enum ImportKind
{
    Contacts,
    Accounts,
}

/// <summary>What a row whose email (contacts) or tax id / name (accounts) already exists does.</summary>
public enum ImportDuplicates
{
    Skip,
    Update,
}

public enum ImportMode
{
    /// <summary>One refused row and nothing is written.</summary>
    AllOrNothing,

    /// <summary>The valid rows are written, the refused ones listed.</summary>
    ValidOnly,
}

/// <summary>A field a column can fill, the names a header is recognised by (folded: no accents, lower case).</summary>
public sealed record ImportTarget(string Key, string LabelKey, params string[] Names);

public sealed record ImportRefusal(long Line, string Reason);

/// <param name="RolledBack">All or nothing with refused rows: nothing was written; the counts say what would have been.</param>
public sealed record ImportResult(ImportKind Kind, int Created, int Updated, int Skipped, IReadOnlyList<ImportRefusal> Refused, bool RolledBack);

/// <summary>
/// Imports contacts or accounts from the rows of a file: each row checked by the contact or account form's own validator
/// and built by the domain (a contact's search terms as the form builds them, ADR 0009), duplicates found by email (contacts)
/// or tax id, else name (accounts) for a chunk of rows at a time, written in batches, all in one transaction.
/// </summary>
public sealed class ImportService(
    CrmDbContext db, IValidator<ContactForm> contactValidator, IValidator<AccountForm> accountValidator, TimeProvider clock, IStringLocalizer<SharedResource> l)
{
    /// <summary>Rows read, checked and written together: one look-up of duplicates and one save for each.</summary>
    public const int ChunkSize = 1_000;

    public static readonly IReadOnlyList<ImportTarget> ContactTargets =
    [
        new("FirstName", "Field_FirstName", "nombre", "first name", "firstname", "nombres", "given name"),
        new("LastName", "Field_LastName", "apellidos", "apellido", "last name", "lastname", "surname"),
        new("Email", "Field_Email", "email", "e-mail", "correo", "correo electronico", "mail"),
        new("Phone", "Field_Phone", "telefono", "phone", "tel", "telefono fijo"),
        new("Mobile", "Field_Mobile", "movil", "celular", "mobile", "telefono movil"),
        new("JobTitle", "Field_JobTitle", "cargo", "puesto", "job title", "title"),
        new("Account", "Field_Account", "cuenta", "empresa", "account", "company", "compania"),
    ];

    public static readonly IReadOnlyList<ImportTarget> AccountTargets =
    [
        new("Name", "Field_Name", "nombre", "name", "cuenta", "razon social", "empresa", "account", "company"),
        new("TaxId", "Field_TaxId", "nif", "cif", "tax id", "taxid", "rfc", "nit", "vat", "identificacion fiscal"),
        new("Phone", "Field_Phone", "telefono", "phone", "tel"),
        new("Email", "Field_Email", "email", "e-mail", "correo", "correo electronico", "mail"),
        new("Website", "Field_Website", "web", "sitio web", "website", "pagina web", "url"),
        new("Address", "Field_Address", "direccion", "address", "domicilio"),
    ];

    public static IReadOnlyList<ImportTarget> TargetsOf(ImportKind kind) => kind == ImportKind.Accounts ? AccountTargets : ContactTargets;

    /// <summary>Each target's column guessed from the header names (folded); a column is taken once.</summary>
    public static Dictionary<string, int> Guess(ImportKind kind, IReadOnlyList<string> columns)
    {
        var folded = columns.Select(c => SearchText.Fold(c).Replace('_', ' ').Trim()).ToList();
        var map = new Dictionary<string, int>();
        foreach (var target in TargetsOf(kind))
        {
            var index = folded.FindIndex(c => target.Names.Contains(c) && !map.ContainsValue(folded.IndexOf(c)));
            if (index >= 0 && !map.ContainsValue(index))
            {
                map[target.Key] = index;
            }
        }

        return map;
    }

    public Task<ImportResult> RunAsync(
        ImportKind kind, IEnumerable<ImportRow> rows, IReadOnlyDictionary<string, int> map, ImportDuplicates duplicates, ImportMode mode, string userId, CancellationToken ct) =>
        kind == ImportKind.Accounts
            ? RunInTransactionAsync(kind, mode, counts => AccountsAsync(rows, map, duplicates, userId, counts, ct), ct)
            : RunInTransactionAsync(kind, mode, counts => ContactsAsync(rows, map, duplicates, userId, counts, ct), ct);

    private sealed class Counts
    {
        public int Created { get; set; }
        public int Updated { get; set; }
        public int Skipped { get; set; }
        public List<ImportRefusal> Refused { get; } = [];
    }

    private async Task<ImportResult> RunInTransactionAsync(ImportKind kind, ImportMode mode, Func<Counts, Task> import, CancellationToken ct)
    {
        var counts = new Counts();
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await import(counts);
            var rollBack = mode == ImportMode.AllOrNothing && counts.Refused.Count > 0;
            if (rollBack)
            {
                await transaction.RollbackAsync(ct);
            }
            else
            {
                await transaction.CommitAsync(ct);
            }

            return new ImportResult(kind, counts.Created, counts.Updated, counts.Skipped, [.. counts.Refused.OrderBy(r => r.Line)], rollBack);
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private async Task ContactsAsync(IEnumerable<ImportRow> rows, IReadOnlyDictionary<string, int> map, ImportDuplicates duplicates, string userId, Counts counts, CancellationToken ct)
    {
        var seen = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var chunk in rows.Chunk(ChunkSize))
        {
            var valid = new List<(ImportRow Row, ContactForm Form, string? Account)>(chunk.Length);
            foreach (var row in chunk)
            {
                var form = new ContactForm
                {
                    FirstName = Field(row, map, "FirstName"), LastName = Field(row, map, "LastName"), Email = Field(row, map, "Email"),
                    Phone = Field(row, map, "Phone"), Mobile = Field(row, map, "Mobile"), JobTitle = Field(row, map, "JobTitle"),
                };
                if (Refuse(row, contactValidator.Validate(form), counts) || Repeated(row, form.Email, seen, counts))
                {
                    continue;
                }

                valid.Add((row, form, Field(row, map, "Account")));
            }

            // The chunk's accounts by name and its existing contacts by email: one statement each.
            var names = valid.Where(v => v.Account is not null).Select(v => SearchText.Fold(v.Account, Limits.AccountName)).Distinct().ToList();
            var accounts = names.Count == 0 ? [] : (await db.Accounts.AsNoTracking().Where(a => names.Contains(a.SearchName))
                    .Select(a => new { a.Id, a.SearchName, a.Name }).ToListAsync(ct))
                .GroupBy(a => a.SearchName).ToDictionary(g => g.Key, g => g.OrderBy(a => a.Id).First());
            var emails = valid.Where(v => v.Form.Email is not null).SelectMany(v => new[] { v.Form.Email!.Trim(), v.Form.Email!.Trim().ToLowerInvariant() }).Distinct().ToList();
            var existing = emails.Count == 0 ? []
                : duplicates == ImportDuplicates.Update
                    ? await db.Contacts.Include(c => c.SearchTerms).Where(c => emails.Contains(c.Email!)).ToListAsync(ct)
                    : await db.Contacts.AsNoTracking().Where(c => emails.Contains(c.Email!)).ToListAsync(ct);
            var byEmail = existing.GroupBy(c => c.Email!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.OrderBy(c => c.Id).First(), StringComparer.OrdinalIgnoreCase);

            var moved = new List<(Contact Contact, int? AccountId)>();
            var news = new List<Contact>();
            foreach (var (row, form, accountName) in valid)
            {
                string? account = null;
                if (accountName is not null)
                {
                    if (!accounts.TryGetValue(SearchText.Fold(accountName, Limits.AccountName), out var found))
                    {
                        counts.Refused.Add(new ImportRefusal(row.Line, l["Import_AccountNotFound", accountName]));
                        continue;
                    }

                    (form.AccountId, account) = (found.Id, found.Name);
                }

                if (form.Email is not null && byEmail.TryGetValue(form.Email.Trim(), out var contact))
                {
                    if (duplicates == ImportDuplicates.Skip)
                    {
                        counts.Skipped++;
                        continue;
                    }

                    var accountBefore = contact.AccountId;
                    contact.Update(form.ToDetails(), account, now);
                    Detect(contact);
                    if (contact.AccountId != accountBefore)
                    {
                        moved.Add((contact, contact.AccountId));
                    }

                    counts.Updated++;
                    continue;
                }

                var created = new Contact(form.ToDetails(), account, userId, now);
                db.AddWithoutTerms(created);
                news.Add(created);
                counts.Created++;
            }

            await db.SaveChangesAsync(ct);
            await ContactSearchTermWriter.InsertAsync(db, news, ct);
            foreach (var (contact, accountId) in moved)
            {
                // As the contact form does: the activities listed under the contact follow it to its new account.
                await db.FollowContactAccountAsync(contact.Id, accountId, ct);
            }

            db.ChangeTracker.Clear();
        }
    }

    private async Task AccountsAsync(IEnumerable<ImportRow> rows, IReadOnlyDictionary<string, int> map, ImportDuplicates duplicates, string userId, Counts counts, CancellationToken ct)
    {
        var seen = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var chunk in rows.Chunk(ChunkSize))
        {
            var valid = new List<(ImportRow Row, AccountForm Form)>(chunk.Length);
            foreach (var row in chunk)
            {
                var form = new AccountForm
                {
                    Name = Field(row, map, "Name"), TaxId = Field(row, map, "TaxId"), Phone = Field(row, map, "Phone"), Email = Field(row, map, "Email"),
                    Website = Field(row, map, "Website"), Address = Field(row, map, "Address"),
                };
                if (Refuse(row, accountValidator.Validate(form), counts) || Repeated(row, Key(form.TaxId, form.Name), seen, counts))
                {
                    continue;
                }

                valid.Add((row, form));
            }

            var taxIds = valid.Where(v => v.Form.TaxId is not null).Select(v => v.Form.TaxId!.Trim()).Distinct().ToList();
            var names = valid.Where(v => v.Form.TaxId is null).Select(v => SearchText.Fold(v.Form.Name, Limits.AccountName)).Distinct().ToList();
            var candidates = db.Accounts.Where(a => taxIds.Contains(a.TaxId!) || (a.TaxId == null && names.Contains(a.SearchName)));
            var existing = duplicates == ImportDuplicates.Update ? await candidates.ToListAsync(ct) : await candidates.AsNoTracking().ToListAsync(ct);
            var byKey = new Dictionary<string, Domain.Accounts.Account>(StringComparer.OrdinalIgnoreCase);
            foreach (var account in existing.OrderBy(a => a.Id))
            {
                byKey.TryAdd(Key(account.TaxId, account.Name), account);
            }

            foreach (var (row, form) in valid)
            {
                if (byKey.TryGetValue(Key(form.TaxId, form.Name), out var account))
                {
                    if (duplicates == ImportDuplicates.Skip)
                    {
                        counts.Skipped++;
                        continue;
                    }

                    // As the account form does: a rename carries the new name into its contacts' search terms.
                    var details = form.ToDetails();
                    var contacts = account.IsRenamedBy(details)
                        ? await db.Contacts.Include(c => c.SearchTerms).Where(c => c.AccountId == account.Id).ToListAsync(ct)
                        : [];
                    account.Update(details, contacts, now);
                    counts.Updated++;
                    continue;
                }

                db.Accounts.Add(new Domain.Accounts.Account(form.ToDetails(), userId, now));
                counts.Created++;
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    // Changes are detected per updated contact, not for the whole context: a context-wide scan would find the new
    // contacts' terms (written by ContactSearchTermWriter, not tracked) and insert them a second time.
    private void Detect(Contact contact)
    {
        db.Entry(contact).DetectChanges();
        foreach (var term in contact.SearchTerms!)
        {
            db.Entry(term).DetectChanges();
        }
    }

    /// <summary>An account's identity in a file: its tax id, else its folded name.</summary>
    private static string Key(string? taxId, string? name) =>
        string.IsNullOrWhiteSpace(taxId) ? "name:" + SearchText.Fold(name, Limits.AccountName) : "tax:" + taxId.Trim();

    private static string? Field(ImportRow row, IReadOnlyDictionary<string, int> map, string key) =>
        map.TryGetValue(key, out var index) && index < row.Fields.Length && !string.IsNullOrWhiteSpace(row.Fields[index]) ? row.Fields[index].Trim() : null;

    private bool Refuse(ImportRow row, FluentValidation.Results.ValidationResult result, Counts counts)
    {
        if (result.IsValid)
        {
            return false;
        }

        counts.Refused.Add(new ImportRefusal(row.Line, string.Join(" ", result.Errors.Select(e => $"{Label(e.PropertyName)}: {e.ErrorMessage}").Distinct())));
        return true;
    }

    private string Label(string property) =>
        ContactTargets.Concat(AccountTargets).FirstOrDefault(t => t.Key == property) is { } target ? l[target.LabelKey] : property;

    private bool Repeated(ImportRow row, string? key, Dictionary<string, long> seen, Counts counts)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return false;
        }

        if (seen.TryGetValue(key.Trim(), out var first))
        {
            counts.Refused.Add(new ImportRefusal(row.Line, l["Import_RepeatedInFile", first]));
            return true;
        }

        seen[key.Trim()] = row.Line;
        return false;
    }
}
