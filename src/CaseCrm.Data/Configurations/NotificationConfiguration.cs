using CaseCrm.Data.Identity;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CaseCrm.Data.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.Property(n => n.UserId).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(n => n.ActorId).HasMaxLength(Limits.UserId);
        builder.Ignore(n => n.IsRead);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(n => n.ActorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(n => n.CaseId).OnDelete(DeleteBehavior.Restrict);

        // The bell's unread count (UserId = @me AND ReadAt IS NULL) is a range of this index; the list, newest first,
        // a backward range of the second.
        builder.HasIndex(n => new { n.UserId, n.ReadAt, n.Id });
        builder.HasIndex(n => new { n.UserId, n.Id });
    }
}
