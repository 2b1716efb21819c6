using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CaseCrm.Data.Configurations;

internal sealed class ServiceCalendarConfiguration : IEntityTypeConfiguration<ServiceCalendar>
{
    public void Configure(EntityTypeBuilder<ServiceCalendar> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(Limits.Name).IsRequired();
        builder.Property(c => c.TimeZoneId).HasMaxLength(Limits.TimeZoneId).IsRequired();
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasIndex(c => c.Name).IsUnique();
        builder.HasMany(c => c.Hours).WithOne().HasForeignKey(h => h.CalendarId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Holidays).WithOne().HasForeignKey(h => h.CalendarId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(c => c.Hours).AutoInclude();
        builder.Navigation(c => c.Holidays).AutoInclude();
    }
}

internal sealed class CalendarHolidayConfiguration : IEntityTypeConfiguration<CalendarHoliday>
{
    public void Configure(EntityTypeBuilder<CalendarHoliday> builder)
    {
        builder.Property(h => h.Name).HasMaxLength(Limits.Name).IsRequired();
        builder.HasIndex(h => new { h.CalendarId, h.Date }).IsUnique();
    }
}

internal sealed class ServicePolicyConfiguration : IEntityTypeConfiguration<ServicePolicy>
{
    public void Configure(EntityTypeBuilder<ServicePolicy> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(Limits.Name).IsRequired();
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Property(p => p.AtRiskPercent).HasDefaultValue(ServicePolicy.DefaultAtRiskPercent);
        builder.HasOne<ServiceCalendar>().WithMany().HasForeignKey(p => p.CalendarId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Category>().WithMany().HasForeignKey(p => p.CategoryId).OnDelete(DeleteBehavior.Restrict);
        // One policy per priority and category; the one for every category has no category (a filtered index, since
        // NULLs are distinct in a unique index).
        builder.HasIndex(p => new { p.Priority, p.CategoryId }).IsUnique().HasFilter("\"CategoryId\" IS NOT NULL");
        builder.HasIndex(p => p.Priority).IsUnique().HasFilter("\"CategoryId\" IS NULL").HasDatabaseName("IX_ServicePolicies_Priority_AnyCategory");
    }
}

internal sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> builder)
    {
        builder.HasKey(l => l.Name);
        builder.Property(l => l.Name).HasMaxLength(Limits.Name);
        builder.Property(l => l.Holder).HasMaxLength(Limits.Name);
        builder.HasData(new JobLease { Name = JobLease.ServiceLevelNotices });
    }
}
