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
/// Short words are FTS5 phrases; long ones narrow the rows by a few of their trigrams and are checked on the row
/// (ADR 0008). A word shorter than a trigram is only checked on the row.
/// </summary>
public sealed class SqliteCrmDbContext(DbContextOptions<SqliteCrmDbContext> options) : CrmDbContext(options)
{
    public override IQueryable<Contact> WhereSearchTextContains(IQueryable<Contact> contacts, IReadOnlyCollection<string> words)
    {
        if (!words.Any(w => Characters(w) >= TrigramLength))
        {
            return base.WhereSearchTextContains(contacts, words);
        }

        var ids = Database.SqlQuery<int>(TrigramSearch("ContactSearch", "Contacts", "SearchText", words, ContactPhraseLength));
        return contacts.Where(c => ids.Contains(c.Id));
    }

    public override IQueryable<Case> WhereTitleContains(IQueryable<Case> cases, string text)
    {
        if (Characters(text) < TrigramLength)
        {
            return base.WhereTitleContains(cases, text);
        }

        // Titles are asked as one phrase however long: their words are common ones, so few trigrams would name
        // many rows to check ("contador", in 4 % of the titles: 190 ms checked on the rows, 80 ms as a phrase).
        var ids = Database.SqlQuery<int>(TrigramSearch("CaseSearch", "Cases", "SearchTitle", [text], int.MaxValue));
        return cases.Where(c => ids.Contains(c.Id));
    }

    /// <summary>The trigram tokenizer counts characters (runes), not UTF-16 units.</summary>
    private const int TrigramLength = 3;

    private static int Characters(string text) => text.EnumerateRunes().Count();

    /// <summary>
    /// The ids of the rows of <paramref name="table"/> whose <paramref name="column"/> contains every one of
    /// <paramref name="texts"/>, from the FTS5 index <paramref name="index"/>. A text of up to
    /// <paramref name="phraseLength"/> characters is asked as a phrase: FTS5 checks the trigrams' positions, so the
    /// answer is exact without reading the rows. A longer one is asked as its first <see cref="Trigrams">covering
    /// trigrams</see>, and <c>instr</c> on each row found checks the whole text: a long text names few rows, while its
    /// phrase would make FTS5 read the position lists of every trigram in it, common ones included (".te" of every
    /// ".test" email: 90,000 rows at 100,000 contacts). Everything is in this one subquery, so the query around it
    /// reads only its result.
    /// </summary>
    private static FormattableString TrigramSearch(string index, string table, string column, IReadOnlyCollection<string> texts, int phraseLength)
    {
        var indexed = texts.Where(t => Characters(t) >= TrigramLength).ToList();
        var checkedOnRow = texts.Where(t => Characters(t) < TrigramLength || Characters(t) > phraseLength).ToList();
        var match = string.Join(" AND ", indexed
            .SelectMany(t => Characters(t) > phraseLength ? Trigrams(t).Take(LongTextTrigrams) : [t])
            .Distinct(StringComparer.Ordinal)
            .Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        var sql = new System.Text.StringBuilder($"SELECT s.rowid AS \"Value\" FROM \"{index}\" AS s");
        if (checkedOnRow.Count > 0)
        {
            sql.Append($" JOIN \"{table}\" AS t ON t.\"Id\" = s.rowid");
        }

        sql.Append($" WHERE s.\"{index}\" MATCH {{0}}");
        var arguments = new List<object> { match };
        foreach (var text in checkedOnRow)
        {
            sql.Append($" AND instr(t.\"{column}\", {{{arguments.Count}}}) > 0");
            arguments.Add(text);
        }

        return System.Runtime.CompilerServices.FormattableStringFactory.Create(sql.ToString(), [.. arguments]);
    }

    /// <summary>The longest word of a contact search asked as an FTS5 phrase (four trigrams); longer ones are checked on the row.</summary>
    private const int ContactPhraseLength = 6;

    /// <summary>
    /// How many of a long text's trigrams the index is asked for: the first ones, which in a name or an email's
    /// local part are the rarest (the end of an email is its domain, shared by many rows).
    /// </summary>
    private const int LongTextTrigrams = 4;

    /// <summary>
    /// The trigrams that cover <paramref name="text"/> without overlapping (and the last one), in characters (runes):
    /// "ana.lopez@correo.test" → "ana", ".lo", "pez", "@co", "rre", "o.t", "est".
    /// </summary>
    private static IEnumerable<string> Trigrams(string text)
    {
        var runes = text.EnumerateRunes().Select(r => r.ToString()).ToArray();
        if (runes.Length < TrigramLength)
        {
            yield break;
        }

        for (var i = 0; i + TrigramLength <= runes.Length; i += TrigramLength)
        {
            yield return string.Concat(runes.AsSpan(i, TrigramLength));
        }

        if (runes.Length % TrigramLength != 0)
        {
            yield return string.Concat(runes.AsSpan(runes.Length - TrigramLength));
        }
    }
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
