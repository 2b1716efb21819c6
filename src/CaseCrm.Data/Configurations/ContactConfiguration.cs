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
        builder.Property(c => c.SortName).HasMaxLength(Limits.SortName).IsRequired();
        builder.HasOne(c => c.Account).WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Restrict);
        // The list's sorts (name, email, phone), each with the id that breaks ties.
        builder.HasIndex(c => new { c.SortName, c.Id });
        builder.HasIndex(c => new { c.Email, c.Id });
        builder.HasIndex(c => new { c.Phone, c.Id });
        builder.HasIndex(c => c.AccountId);
        builder.HasIndex(c => c.CreatedAt);
        builder.HasMany(c => c.SearchTerms).WithOne().HasForeignKey(t => t.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// The contact search index (ADR 0009). The key serves a contact's own terms (an edit, and the other words of a
/// search); the (Term, SortName, ContactId) index serves a search: a range of terms, already in name order within
/// each term, holding everything the first page needs. Term needs a byte-wise (code point) collation so that
/// "starts with" is a range; the provider contexts set it where the default is not (PostgreSQL, SQL Server).
/// </summary>
internal sealed class ContactSearchTermConfiguration : IEntityTypeConfiguration<ContactSearchTerm>
{
    public void Configure(EntityTypeBuilder<ContactSearchTerm> builder)
    {
        builder.HasKey(t => new { t.ContactId, t.Term });
        builder.Property(t => t.Term).HasMaxLength(Limits.SearchTerm);
        builder.Property(t => t.SortName).HasMaxLength(Limits.SortName);
        builder.HasIndex(t => new { t.Term, t.SortName, t.ContactId });
    }
}
