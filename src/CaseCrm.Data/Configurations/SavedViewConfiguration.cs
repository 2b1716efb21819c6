using CaseCrm.Data.Identity;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CaseCrm.Data.Configurations;

internal sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> builder)
    {
        builder.Property(v => v.OwnerId).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(v => v.Name).HasMaxLength(Limits.SavedViewName).IsRequired();
        builder.Property(v => v.NormalizedName).HasMaxLength(Limits.SavedViewName).IsRequired();
        builder.Property(v => v.Query).HasMaxLength(Limits.SavedViewQuery).IsRequired();
        builder.HasOne<AppUser>().WithMany().HasForeignKey(v => v.OwnerId).OnDelete(DeleteBehavior.Cascade);

        // One name per owner (a race between two saves ends here); the case list reads a user's views by this index and
        // the shared ones by the second.
        builder.HasIndex(v => new { v.OwnerId, v.NormalizedName }).IsUnique();
        builder.HasIndex(v => v.IsShared);
    }
}
