using CaseCrm.Domain;
using CaseCrm.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CaseCrm.Data.Configurations;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.Property(a => a.Name).HasMaxLength(Limits.AccountName).IsRequired();
        builder.Property(a => a.TaxId).HasMaxLength(Limits.TaxId);
        builder.Property(a => a.Phone).HasMaxLength(Limits.Phone);
        builder.Property(a => a.Email).HasMaxLength(Limits.Email);
        builder.Property(a => a.Website).HasMaxLength(Limits.Website);
        builder.Property(a => a.Address).HasMaxLength(Limits.Address);
        builder.Property(a => a.OwnerId).HasMaxLength(Limits.UserId);
        builder.Property(a => a.SearchName).HasMaxLength(Limits.AccountName).IsRequired();
        // The list's sorts (name, tax id, phone, email), each with the id that breaks ties; tax id and email also find exact matches.
        builder.HasIndex(a => new { a.SearchName, a.Id });
        builder.HasIndex(a => new { a.TaxId, a.Id });
        builder.HasIndex(a => new { a.Phone, a.Id });
        builder.HasIndex(a => new { a.Email, a.Id });
    }
}
