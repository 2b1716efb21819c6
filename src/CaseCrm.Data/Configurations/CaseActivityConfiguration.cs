using CaseCrm.Data.Identity;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CaseCrm.Data.Configurations;

internal sealed class CaseCommentConfiguration : IEntityTypeConfiguration<CaseComment>
{
    public void Configure(EntityTypeBuilder<CaseComment> builder)
    {
        builder.Property(c => c.Body).HasMaxLength(Limits.CommentBody).IsRequired();
        builder.Property(c => c.AuthorId).HasMaxLength(Limits.UserId).IsRequired();
        builder.HasOne<Case>().WithMany().HasForeignKey(c => c.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(c => c.AuthorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.CaseId, c.Id });
    }
}

internal sealed class CaseAttachmentConfiguration : IEntityTypeConfiguration<CaseAttachment>
{
    public void Configure(EntityTypeBuilder<CaseAttachment> builder)
    {
        builder.Property(a => a.FileName).HasMaxLength(Limits.FileName).IsRequired();
        builder.Property(a => a.UploadedById).HasMaxLength(Limits.UserId).IsRequired();
        builder.HasOne<Case>().WithMany().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.UploadedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.Content).WithOne().HasForeignKey<AttachmentContent>(c => c.AttachmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.CaseId, a.Id });
        // The upload quota per user and hour (AttachmentLimits) sums a user's recent uploads.
        builder.HasIndex(a => new { a.UploadedById, a.UploadedAt });
    }
}

internal sealed class AttachmentContentConfiguration : IEntityTypeConfiguration<AttachmentContent>
{
    public void Configure(EntityTypeBuilder<AttachmentContent> builder)
    {
        builder.HasKey(c => c.AttachmentId);
        builder.Property(c => c.Data).IsRequired();
    }
}

internal sealed class CaseHistoryEntryConfiguration : IEntityTypeConfiguration<CaseHistoryEntry>
{
    public void Configure(EntityTypeBuilder<CaseHistoryEntry> builder)
    {
        builder.ToTable("CaseHistory");
        builder.Property(h => h.UserId).HasMaxLength(Limits.UserId).IsRequired();
        builder.Property(h => h.OldValue).HasMaxLength(Limits.HistoryValue);
        builder.Property(h => h.NewValue).HasMaxLength(Limits.HistoryValue);
        builder.HasOne<Case>().WithMany().HasForeignKey(h => h.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(h => h.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(h => new { h.CaseId, h.Id });
    }
}
