using CaseCrm.Domain.Email;
using CaseCrm.Domain.ServiceLevels;
using CaseCrm.Data.Identity;
using CaseCrm.Data.Reports;
using CaseCrm.Domain.Access;
using CaseCrm.Domain.Accounts;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.Domain.Notifications;
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
    public DbSet<ContactSearchTerm> ContactSearchTerms => Set<ContactSearchTerm>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<ParentChildSettings> ParentChildSettings => Set<ParentChildSettings>();
    public DbSet<CaseComment> CaseComments => Set<CaseComment>();
    public DbSet<CaseAttachment> CaseAttachments => Set<CaseAttachment>();
    public DbSet<AttachmentContent> AttachmentContents => Set<AttachmentContent>();
    public DbSet<CaseHistoryEntry> CaseHistory => Set<CaseHistoryEntry>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<Mailbox> Mailboxes => Set<Mailbox>();
    public DbSet<EmailMessage> EmailMessages => Set<EmailMessage>();
    public DbSet<EmailAttachment> EmailAttachments => Set<EmailAttachment>();
    public DbSet<QuickReply> QuickReplies => Set<QuickReply>();
    public DbSet<ServiceCalendar> ServiceCalendars => Set<ServiceCalendar>();
    public DbSet<ServicePolicy> ServicePolicies => Set<ServicePolicy>();
    public DbSet<JobLease> JobLeases => Set<JobLease>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<PersonalAccessToken> PersonalAccessTokens => Set<PersonalAccessToken>();
    public DbSet<ReportCount> ReportCounts => Set<ReportCount>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// Saves, and adds what the save changes on cases to the reports' summary (<see cref="ReportSummary"/>, ADR 0040) in the
    /// same transaction: the caller's, or one of its own when the save changes something a report counts.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var counts = ReportSummary.Capture(ChangeTracker.Entries<Case>());
        if (counts.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        await using (own)
        {
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            await ReportSummary.WriteAsync(this, counts, cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            return saved;
        }
    }

    /// <summary>The synchronous <see cref="SaveChangesAsync(bool, CancellationToken)"/>.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var counts = ReportSummary.Capture(ChangeTracker.Entries<Case>());
        if (counts.Count == 0)
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }

        using var own = Database.CurrentTransaction is null ? Database.BeginTransaction() : null;
        var saved = base.SaveChanges(acceptAllChangesOnSuccess);
        ReportSummary.Write(this, counts);
        own?.Commit();
        return saved;
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);
    }

    /// <summary>
    /// The search-index entries of the contacts found by <paramref name="words"/> (from <c>SearchText.SearchWords</c>):
    /// contacts with a term that starts with each word (ADR 0009). The longest word, usually the rarest, is read as a
    /// range of the (Term, SortName, ContactId) index; each other word is looked up among the same contact's terms.
    /// A contact may come more than once (two of its terms start with the longest word).
    /// </summary>
    public IQueryable<ContactSearchTerm> ContactSearchTermsMatching(IReadOnlyCollection<string> words)
    {
        var longest = words.MaxBy(w => w.Length) ?? throw new ArgumentException("A search needs at least one word.", nameof(words));
        var terms = StartingWith(longest);
        foreach (var word in words.Where(w => w != longest))
        {
            var others = StartingWith(word);
            terms = terms.Where(t => others.Any(o => o.ContactId == t.ContactId));
        }

        return terms.AsNoTracking();
    }

    /// <summary>
    /// The terms that start with <paramref name="prefix"/>, as a range (<c>Term &gt;= prefix AND Term &lt; end</c>, where
    /// end is the prefix with its last character's code incremented), which every provider serves from an index.
    /// </summary>
    private IQueryable<ContactSearchTerm> StartingWith(string prefix)
    {
        var last = prefix[^1];
        if (char.IsSurrogate(last) || last is '\uD7FF' or '\uFFFF')
        {
            // No plain successor that sorts the same in UTF-8 (SQLite, PostgreSQL) and UTF-16 (SQL Server): the range
            // is open at the end and the start is checked on each term.
            return ContactSearchTerms.Where(t => t.Term.CompareTo(prefix) >= 0 && t.Term.StartsWith(prefix));
        }

        var end = prefix[..^1] + (char)(last + 1);
        return ContactSearchTerms.Where(t => t.Term.CompareTo(prefix) >= 0 && t.Term.CompareTo(end) < 0);
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
/// SQLite: case title searches go through the FTS5 table with the trigram tokenizer that the migration
/// <c>Initial</c> creates over <c>Cases.SearchTitle</c> (kept by triggers; ADR 0008). A text shorter than a
/// trigram is checked on the row.
/// </summary>
public sealed class SqliteCrmDbContext(DbContextOptions<SqliteCrmDbContext> options) : CrmDbContext(options)
{
    public override IQueryable<Case> WhereTitleContains(IQueryable<Case> cases, string text)
    {
        // The trigram tokenizer counts characters (runes), not UTF-16 units.
        if (text.EnumerateRunes().Count() < 3)
        {
            return base.WhereTitleContains(cases, text);
        }

        // One FTS5 phrase however long, quoted with its quotes doubled so that operators typed by a user match
        // themselves: FTS5 checks the trigrams' positions, so the answer is exact without reading the rows.
        var phrase = "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var ids = Database.SqlQuery<int>($"SELECT rowid AS \"Value\" FROM \"CaseSearch\" WHERE \"CaseSearch\" MATCH {phrase}");
        return cases.Where(c => ids.Contains(c.Id));
    }
}

/// <summary>
/// PostgreSQL: the trigram (pg_trgm) GIN index that serves the case title searches, and the byte-wise collation of
/// the contact search terms.
/// </summary>
public sealed class PostgresCrmDbContext(DbContextOptions<PostgresCrmDbContext> options) : CrmDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<ContactSearchTerm>().Property(t => t.Term).UseCollation("C");
        builder.Entity<Case>().HasIndex(c => c.SearchTitle, "IX_Cases_SearchTitle_Trigram").HasMethod("gin").HasOperators("gin_trgm_ops");
    }
}

/// <summary>SQL Server: the binary (code point) collation of the contact search terms.</summary>
public sealed class SqlServerCrmDbContext(DbContextOptions<SqlServerCrmDbContext> options) : CrmDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<ContactSearchTerm>().Property(t => t.Term).UseCollation("Latin1_General_100_BIN2");
    }
}
