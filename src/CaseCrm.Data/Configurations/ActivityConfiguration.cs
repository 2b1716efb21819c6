using CaseCrm.Data.Identity;
using CaseCrm.Domain;
using CaseCrm.Domain.Accounts;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CaseCrm.Data.Configurations;

internal sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> builder)
    {
        builder.Property(a => a.Subject).HasMaxLength(Limits.ActivitySubject).IsRequired();
        builder.Property(a => a.Description).HasMaxLength(Limits.ActivityDescription);
        builder.Property(a => a.Location).HasMaxLength(Limits.ActivityLocation);
        builder.Property(a => a.Phone).HasMaxLength(Limits.Phone);
        builder.Property(a => a.OwnerId).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(a => a.CreatedById).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(a => a.UpdatedById).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Ignore(a => a.Regarding);
        builder.Ignore(a => a.IsOpen);

        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.CreatedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.UpdatedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Contact>().WithMany().HasForeignKey(a => a.ContactId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(a => a.Attendees).WithOne().HasForeignKey(a => a.ActivityId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(a => a.Attendees).UsePropertyAccessMode(PropertyAccessMode.Field);

        // The lists' indexes end with the key, Id, the lists' last sort column: each list is then an ordered walk of one index
        // range that stops at its page, whatever the value. On PostgreSQL this matters for prepared statements: without Id the
        // generic plan (costed for an average owner or contact) fetched every row of the range and sorted it, 27 times slower
        // for the busiest contact (docs/performance.md, "The activity lists under prepared statements"). SQLite keeps the rowid
        // in every index anyway.
        // "Mis actividades": a user's open activities by the time they are due.
        builder.HasIndex(a => new { a.OwnerId, a.Status, a.ScheduledAt, a.Id });
        // "Mis actividades", all of them: a user's activities newest first.
        builder.HasIndex(a => new { a.OwnerId, a.CreatedAt, a.Id });
        // The calendar: a user's activities in a range of time, whatever their status.
        builder.HasIndex(a => new { a.OwnerId, a.ScheduledAt });
        // "Referente a": the timeline of a case, a contact's and an account's tab, newest first.
        builder.HasIndex(a => new { a.CaseId, a.CreatedAt, a.Id });
        // Partial: most activities regard a case, and SQLite's statistics (sqlite_stat1) count the NULLs as one key, so a full
        // index looked like millions of rows per contact and the tab scanned the table. The filter's quotes suit all three providers.
        builder.HasIndex(a => new { a.ContactId, a.CreatedAt }).HasFilter("\"ContactId\" IS NOT NULL");
        builder.HasIndex(a => new { a.AccountId, a.CreatedAt }).HasFilter("\"AccountId\" IS NOT NULL");
        // A contact's and an account's "Actividades" tab: one index range in date order (ADR 0021). No foreign keys: the
        // values are copies kept by the domain, and SQLite would rebuild the table to add them.
        builder.HasIndex(a => new { a.AroundContactId, a.CreatedAt, a.Id }).HasFilter("\"AroundContactId\" IS NOT NULL");
        builder.HasIndex(a => new { a.AroundAccountId, a.CreatedAt, a.Id }).HasFilter("\"AroundAccountId\" IS NOT NULL");
    }
}

internal sealed class ActivityAttendeeConfiguration : IEntityTypeConfiguration<ActivityAttendee>
{
    public void Configure(EntityTypeBuilder<ActivityAttendee> builder)
    {
        builder.HasKey(a => new { a.ActivityId, a.UserId });
        builder.Property(a => a.UserId).HasMaxLength(Limits.UserId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Restrict);
        // An attendee's calendar.
        builder.HasIndex(a => new { a.UserId, a.ActivityId });
    }
}
