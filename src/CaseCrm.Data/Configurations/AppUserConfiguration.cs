using CaseCrm.Data.Identity;
using CaseCrm.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CaseCrm.Data.Configurations;

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(Limits.UserDisplayName).IsRequired();
        builder.Property(u => u.CalendarFeedTokenHash).HasMaxLength(64);
        builder.Property(u => u.TimeZoneId).HasMaxLength(64);
        // The calendar feed finds its user by the token's hash.
        builder.HasIndex(u => u.CalendarFeedTokenHash).IsUnique();
    }
}
