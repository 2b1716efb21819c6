using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CaseCrm.Data.Configurations;

internal sealed class MailboxConfiguration : IEntityTypeConfiguration<Mailbox>
{
    public void Configure(EntityTypeBuilder<Mailbox> builder)
    {
        builder.Property(m => m.Name).HasMaxLength(Limits.Name).IsRequired();
        builder.Property(m => m.ImapHost).HasMaxLength(Limits.Host).IsRequired();
        builder.Property(m => m.ImapUser).HasMaxLength(Limits.MailUser).IsRequired();
        builder.Property(m => m.ImapPasswordProtected).HasMaxLength(2_000);
        builder.Property(m => m.Folder).HasMaxLength(Limits.MailFolder).IsRequired();
        builder.Property(m => m.SmtpHost).HasMaxLength(Limits.Host).IsRequired();
        builder.Property(m => m.SmtpUser).HasMaxLength(Limits.MailUser).IsRequired();
        builder.Property(m => m.SmtpPasswordProtected).HasMaxLength(2_000);
        builder.Property(m => m.Address).HasMaxLength(Limits.Email).IsRequired();
        builder.Property(m => m.DisplayName).HasMaxLength(Limits.Name).IsRequired();
        builder.Property(m => m.LeaseOwner).HasMaxLength(100);
        builder.Property(m => m.LastError).HasMaxLength(1_000);
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.HasOne<Category>().WithMany().HasForeignKey(m => m.DefaultCategoryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.Address).IsUnique();
        builder.HasOne<QuickReply>().WithMany().HasForeignKey(m => m.AcknowledgementId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class QuickReplyConfiguration : IEntityTypeConfiguration<QuickReply>
{
    public void Configure(EntityTypeBuilder<QuickReply> builder)
    {
        builder.Property(q => q.Name).HasMaxLength(Limits.Name).IsRequired();
        builder.Property(q => q.Subject).HasMaxLength(Limits.EmailSubject).IsRequired();
        builder.Property(q => q.Body).HasMaxLength(Limits.QuickReplyBody).IsRequired();
        builder.Property(q => q.Version).IsConcurrencyToken();
        builder.HasIndex(q => q.Name).IsUnique();
    }
}

internal sealed class EmailAttachmentConfiguration : IEntityTypeConfiguration<EmailAttachment>
{
    public void Configure(EntityTypeBuilder<EmailAttachment> builder)
    {
        builder.HasKey(a => new { a.EmailMessageId, a.CaseAttachmentId });
        builder.HasOne<EmailMessage>().WithMany(e => e.Attachments).HasForeignKey(a => a.EmailMessageId).OnDelete(DeleteBehavior.Cascade);
        // An attachment an email carries is not deleted (CaseAttachment.CheckMayDelete); the key keeps it so.
        builder.HasOne<CaseAttachment>().WithMany().HasForeignKey(a => a.CaseAttachmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => a.CaseAttachmentId);
    }
}

internal sealed class EmailMessageConfiguration : IEntityTypeConfiguration<EmailMessage>
{
    public void Configure(EntityTypeBuilder<EmailMessage> builder)
    {
        builder.Property(e => e.MessageId).HasMaxLength(Limits.MessageId).IsRequired();
        builder.Property(e => e.InReplyTo).HasMaxLength(Limits.MessageId);
        builder.Property(e => e.FromAddress).HasMaxLength(Limits.Email).IsRequired();
        builder.Property(e => e.FromName).HasMaxLength(Limits.UserDisplayName);
        builder.Property(e => e.To).HasMaxLength(Limits.EmailRecipients).IsRequired();
        builder.Property(e => e.Cc).HasMaxLength(Limits.EmailRecipients);
        builder.Property(e => e.Subject).HasMaxLength(Limits.EmailSubject).IsRequired();
        builder.Property(e => e.TextBody).HasMaxLength(Limits.EmailBody).IsRequired();
        builder.Property(e => e.HtmlBody).HasMaxLength(Limits.EmailBody);
        builder.Property(e => e.RefusedAttachments).HasMaxLength(Limits.HistoryValue);
        builder.Property(e => e.References).HasMaxLength(Limits.EmailRecipients);
        builder.Property(e => e.ClaimedBy).HasMaxLength(100);
        builder.Property(e => e.LastError).HasMaxLength(1_000);
        builder.HasOne<Identity.AppUser>().WithMany().HasForeignKey(e => e.AuthorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.Case).WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Mailbox>().WithMany().HasForeignKey(e => e.MailboxId).OnDelete(DeleteBehavior.Restrict);

        // Exactly once: a mailbox stores a Message-ID once, however many instances read it and however often.
        builder.HasIndex(e => new { e.MailboxId, e.MessageId }).IsUnique();
        // Threading: a reply names an earlier message in In-Reply-To/References.
        builder.HasIndex(e => e.MessageId);
        // The case timeline, newest first.
        builder.HasIndex(e => new { e.CaseId, e.CreatedAt });
        // The outbox: queued messages by when they are due; the index holds only them (sent mail leaves it).
        builder.HasIndex(e => e.NextAttemptAt).HasFilter("\"State\" = 1").HasDatabaseName("IX_EmailMessages_Outbox");
    }
}
