using CaseCrm.Data.Identity;
using CaseCrm.Domain;
using CaseCrm.Domain.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CaseCrm.Data.Configurations;

internal sealed class PersonalAccessTokenConfiguration : IEntityTypeConfiguration<PersonalAccessToken>
{
    public void Configure(EntityTypeBuilder<PersonalAccessToken> builder)
    {
        builder.Property(t => t.OwnerId).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(t => t.Name).HasMaxLength(Limits.TokenName).IsRequired();
        builder.Property(t => t.SecretHash).HasMaxLength(64).IsRequired();
        builder.Property(t => t.Prefix).HasMaxLength(PersonalAccessToken.DisplayPrefixLength).IsRequired();
        builder.HasOne<AppUser>().WithMany().HasForeignKey(t => t.OwnerId).OnDelete(DeleteBehavior.Cascade);

        // Every API request finds its token by the hash; the token page lists a user's own.
        builder.HasIndex(t => t.SecretHash).IsUnique();
        builder.HasIndex(t => t.OwnerId);
    }
}
