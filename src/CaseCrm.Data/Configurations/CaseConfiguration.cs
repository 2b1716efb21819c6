using CaseCrm.Data.Identity;
using CaseCrm.Domain;
using CaseCrm.Domain.Accounts;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.Domain.ServiceLevels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CaseCrm.Data.Configurations;

internal sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.ToTable("Cases", t =>
        {
            // Backstops for the family rules; the quoted identifiers are ANSI and read the same on all three databases.
            t.HasCheckConstraint("CK_Cases_NotOwnParent", "\"ParentId\" IS NULL OR \"ParentId\" <> \"Id\"");
            t.HasCheckConstraint("CK_Cases_ChildHasNoChildren", "\"ParentId\" IS NULL OR \"ChildCount\" = 0");
            t.HasCheckConstraint("CK_Cases_ChildCountNotNegative", "\"ChildCount\" >= 0");
        });
        builder.Ignore(c => c.Number);
        builder.Property(c => c.Title).HasMaxLength(Limits.CaseTitle).IsRequired();
        builder.Property(c => c.SearchTitle).HasMaxLength(Limits.CaseTitle).IsRequired();
        builder.Property(c => c.Description).HasMaxLength(Limits.CaseDescription).IsRequired();
        builder.Property(c => c.Resolution).HasMaxLength(Limits.CaseResolution);
        builder.Property(c => c.CreatedById).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(c => c.UpdatedById).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(c => c.AssignedToId).HasMaxLength(Limits.UserId);
        builder.Property(c => c.Version).IsConcurrencyToken();

        builder.HasOne<Contact>().WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Category>().WithMany().HasForeignKey(c => c.CategoryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(c => c.ParentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(c => c.AssignedToId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(c => c.CreatedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(c => c.UpdatedById).OnDelete(DeleteBehavior.Restrict);

        // One index per list: a contact's or account's cases and the family, read in Id order.
        builder.HasIndex(c => new { c.ContactId, c.Id });
        builder.HasIndex(c => new { c.AccountId, c.Id });
        builder.HasIndex(c => new { c.ParentId, c.Status });
        // The case list (ADR 0031): sorted by last change or due time ("Vence"), filtered by any of category, assignee,
        // status and priority. The indexes lead with the filters that fix one value (category and/or assignee), then Status
        // and Priority, then the sort column: CaseQueries reads one range per status and priority the filter leaves open
        // (UNION ALL), so a page reads at most branches × (offset + rows) index entries whatever the data's distribution.
        // Status and priority sorts read the same ranges. The "all" view without a filter walks (UpdatedAt, Id) or
        // (DueSort, Id): every entry is a row of the page (ADR 0033). They are partial on "Id" <> 0, true of every case,
        // so that only that walk, which says it, can use them: PostgreSQL would otherwise walk one for a branch it thinks
        // common and skip a burst of other cases (its statistics do not see how the last change follows the status and
        // priority). Not "Id" > 0: SQLite would read that as a range of ids and sort them.
        builder.HasIndex(c => new { c.UpdatedAt, c.Id }).HasFilter("\"Id\" <> 0");
        builder.HasIndex(c => new { c.Status, c.Priority, c.UpdatedAt, c.Id });
        builder.HasIndex(c => new { c.CategoryId, c.Status, c.Priority, c.UpdatedAt, c.Id });
        builder.HasIndex(c => new { c.AssignedToId, c.Status, c.Priority, c.UpdatedAt, c.Id });
        builder.HasIndex(c => new { c.CategoryId, c.AssignedToId, c.Status, c.Priority, c.UpdatedAt, c.Id });
        builder.HasIndex(c => new { c.SearchTitle, c.Id });
        // The start page (ADR 0016): a supervisor's open cases by status, category and agent are one GROUP BY that reads
        // this covering index in its order; the backlog's ages count the open cases created in the last 30 days on the
        // second (older ones are the rest); an agent's "assigned since my last visit" reads a range of the third.
        builder.HasIndex(c => new { c.Status, c.CategoryId, c.AssignedToId });
        builder.HasIndex(c => new { c.CreatedAt, c.Status });
        builder.HasIndex(c => new { c.AssignedToId, c.AssignedAt });
        // One case per form submission and user, whatever the number of instances (a repeated post finds the first).
        builder.HasIndex(c => new { c.CreatedById, c.SubmissionKey }).IsUnique();

        // Service levels (ADR 0022): the "Vence" sort and the at-risk/breached filters read the running cases' due times
        // in order (all, or one agent's); the background check reads the next notices due; the reports read the first
        // responses and resolutions of a period from covering indexes, never the case rows.
        builder.Property(c => c.AtRiskPercent).HasDefaultValue(ServicePolicy.DefaultAtRiskPercent);
        // The background check writes the notices given without raising Version (a user's form is not made stale by it);
        // as a second token, two checks that meet on a case cannot both give a notice, and a user's save that read the
        // notices before the check gave one is retried from a fresh read (CaseUnitOfWork) instead of undoing it.
        builder.Property(c => c.NoticesGiven).IsConcurrencyToken();
        builder.Property(c => c.DueSort).HasDefaultValue(Case.NoDueTime);
        builder.HasIndex(c => new { c.DueSort, c.Id }).HasFilter("\"Id\" <> 0");
        builder.HasIndex(c => new { c.Status, c.Priority, c.DueSort, c.Id });
        builder.HasIndex(c => new { c.CategoryId, c.Status, c.Priority, c.DueSort, c.Id });
        builder.HasIndex(c => new { c.AssignedToId, c.Status, c.Priority, c.DueSort, c.Id });
        builder.HasIndex(c => new { c.CategoryId, c.AssignedToId, c.Status, c.Priority, c.DueSort, c.Id });
        builder.HasIndex(c => new { c.DueAt, c.Id }).HasFilter("\"DueAt\" IS NOT NULL");
        builder.HasIndex(c => new { c.AssignedToId, c.DueAt, c.Id }).HasFilter("\"DueAt\" IS NOT NULL");
        builder.HasIndex(c => c.NextNoticeAt).HasFilter("\"NextNoticeAt\" IS NOT NULL");
        // No foreign key: on SQLite adding one rebuilds the table, which drops the triggers that keep the title search (ADR 0008).
        builder.HasIndex(c => c.MergedIntoId).HasFilter("\"MergedIntoId\" IS NOT NULL");
        builder.HasIndex(c => new { c.ResolvedAt, c.AssignedToId, c.CategoryId, c.ResolutionSeconds, c.ResolutionTargetMinutes })
            .HasFilter("\"ResolvedAt\" IS NOT NULL");
        builder.HasIndex(c => new { c.FirstRespondedAt, c.AssignedToId, c.CategoryId, c.FirstResponseSeconds, c.FirstResponseTargetMinutes })
            .HasFilter("\"FirstRespondedAt\" IS NOT NULL");
    }
}
