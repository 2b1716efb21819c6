using CaseCrm.Data.Identity;
using CaseCrm.Domain.Accounts;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Data;

/// <summary>
/// The one model of the application, Identity included. Each database provider has a subclass
/// (<see cref="SqliteCrmDbContext"/>, <see cref="PostgresCrmDbContext"/>, <see cref="SqlServerCrmDbContext"/>)
/// only so that each keeps its own migration set.
/// </summary>
public abstract class CrmDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<ParentChildSettings> ParentChildSettings => Set<ParentChildSettings>();
    public DbSet<CaseComment> CaseComments => Set<CaseComment>();
    public DbSet<CaseAttachment> CaseAttachments => Set<CaseAttachment>();
    public DbSet<AttachmentContent> AttachmentContents => Set<AttachmentContent>();
    public DbSet<CaseHistoryEntry> CaseHistory => Set<CaseHistoryEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);
    }

    /// <summary>
    /// Keeps the contacts whose folded search text (<see cref="Contact.SearchText"/>) contains every one of
    /// <paramref name="words"/> (already folded by <c>SearchText.Fold</c>). A "contains" search cannot use an ordinary
    /// index, so each provider answers it from its own substring index (ADR 0008): here, <c>LIKE '%word%'</c>, which
    /// PostgreSQL serves from a pg_trgm GIN index and SQL Server by scanning; SQLite overrides it with FTS5.
    /// </summary>
    public virtual IQueryable<Contact> WhereSearchTextContains(IQueryable<Contact> contacts, IReadOnlyCollection<string> words)
    {
        foreach (var word in words)
        {
            var pattern = LikeContains(word);
            contacts = contacts.Where(c => EF.Functions.Like(c.SearchText, pattern, LikeEscape));
        }

        return contacts;
    }

    /// <summary>Keeps the cases whose folded title (<see cref="Case.SearchTitle"/>) contains <paramref name="text"/> (folded).</summary>
    public virtual IQueryable<Case> WhereTitleContains(IQueryable<Case> cases, string text)
    {
        var pattern = LikeContains(text);
        return cases.Where(c => EF.Functions.Like(c.SearchTitle, pattern, LikeEscape));
    }

    private const string LikeEscape = "\\";

    /// <summary><c>%text%</c> with the pattern characters of <paramref name="text"/> escaped, so that they match themselves.</summary>
    internal static string LikeContains(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}

/// <summary>
/// SQLite: "contains" searches go through the FTS5 tables with the trigram tokenizer that the migration
/// <c>SubstringSearch</c> creates over <c>Contacts.SearchText</c> and <c>Cases.SearchTitle</c> (kept by triggers).
/// A trigram index finds substrings of three characters or more; shorter words are checked on the row itself.
/// </summary>
public sealed class SqliteCrmDbContext(DbContextOptions<SqliteCrmDbContext> options) : CrmDbContext(options)
{
    public override IQueryable<Contact> WhereSearchTextContains(IQueryable<Contact> contacts, IReadOnlyCollection<string> words)
    {
        var indexed = words.Where(w => w.Length >= TrigramLength).ToList();
        if (indexed.Count > 0)
        {
            var match = FtsPhrases(indexed);
            var ids = Database.SqlQuery<int>($"SELECT rowid AS \"Value\" FROM \"ContactSearch\" WHERE \"ContactSearch\" MATCH {match}");
            contacts = contacts.Where(c => ids.Contains(c.Id));
        }

        return base.WhereSearchTextContains(contacts, [.. words.Where(w => w.Length < TrigramLength)]);
    }

    public override IQueryable<Case> WhereTitleContains(IQueryable<Case> cases, string text)
    {
        if (text.Length < TrigramLength)
        {
            return base.WhereTitleContains(cases, text);
        }

        var match = FtsPhrases([text]);
        var ids = Database.SqlQuery<int>($"SELECT rowid AS \"Value\" FROM \"CaseSearch\" WHERE \"CaseSearch\" MATCH {match}");
        return cases.Where(c => ids.Contains(c.Id));
    }

    private const int TrigramLength = 3;

    /// <summary>An FTS5 query that requires every text as a substring: each one a quoted phrase (quotes doubled), all of them ANDed.</summary>
    internal static string FtsPhrases(IEnumerable<string> texts) =>
        string.Join(" AND ", texts.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
}

/// <summary>PostgreSQL: the trigram (pg_trgm) GIN indexes that serve the "contains" searches.</summary>
public sealed class PostgresCrmDbContext(DbContextOptions<PostgresCrmDbContext> options) : CrmDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<Contact>().HasIndex(c => c.SearchText, "IX_Contacts_SearchText_Trigram").HasMethod("gin").HasOperators("gin_trgm_ops");
        builder.Entity<Case>().HasIndex(c => c.SearchTitle, "IX_Cases_SearchTitle_Trigram").HasMethod("gin").HasOperators("gin_trgm_ops");
    }
}

public sealed class SqlServerCrmDbContext(DbContextOptions<SqlServerCrmDbContext> options) : CrmDbContext(options);
