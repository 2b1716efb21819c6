using CaseCrm.Domain;
using CaseCrm.Domain.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CaseCrm.Data.Configurations;

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.Ignore(c => c.FullName);
        builder.Property(c => c.FirstName).HasMaxLength(Limits.Name);
        builder.Property(c => c.LastName).HasMaxLength(Limits.Name);
        builder.Property(c => c.Email).HasMaxLength(Limits.Email);
        builder.Property(c => c.Phone).HasMaxLength(Limits.Phone);
        builder.Property(c => c.Mobile).HasMaxLength(Limits.Phone);
        builder.Property(c => c.JobTitle).HasMaxLength(Limits.JobTitle);
        builder.Property(c => c.OwnerId).HasMaxLength(Limits.UserId);
        builder.Property(c => c.SearchText).HasMaxLength(Limits.SearchText).IsRequired();
        builder.Property(c => c.SortName).HasMaxLength(Limits.SearchText).IsRequired();
        builder.HasOne(c => c.Account).WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Restrict);
        // The list's sorts (name, email, phone), each with the id that breaks ties.
        builder.HasIndex(c => new { c.SortName, c.Id });
        builder.HasIndex(c => new { c.Email, c.Id });
        builder.HasIndex(c => new { c.Phone, c.Id });
        builder.HasIndex(c => c.AccountId);
        builder.HasIndex(c => c.CreatedAt);
    }
}
