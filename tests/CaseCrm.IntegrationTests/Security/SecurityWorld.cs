using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using System.Text;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// Real rows for every id a route can carry: an account with a contact, a parent case with one child (the comment
/// and the attachment are on the parent), two more active cases, a category, a user and a notification of the shared
/// administrator. Made by the demo agent.
/// </summary>
public sealed record SecurityWorld(
    int AccountId,
    int ContactId,
    int CaseId,
    int ChildId,
    int OtherCaseId,
    int SecondOtherCaseId,
    int CommentId,
    int AttachmentId,
    int CategoryId,
    string UserId,
    int ActivityId,
    int MailboxId,
    int EmailId,
    int QuickReplyId,
    int CalendarId,
    int PolicyId,
    long NotificationId,
    string ImportToken)
{
    /// <summary>A saved view of the shared administrator, shared with the team.</summary>
    public int SavedViewId { get; init; }

    /// <summary>A personal access token of the shared administrator (another user's answers 404).</summary>
    public int TokenId { get; init; }

    public static async Task<SecurityWorld> CreateAsync(SecurityWebFactory factory) =>
        await CreateAsync(factory, await factory.DataAsync(), (await factory.SharedUserAsync(Roles.Administrator, "shared")).Id);

    /// <param name="administratorId">The shared administrator (the session the matrix signs in as), who receives the notification.</param>
    public static async Task<SecurityWorld> CreateAsync(SecurityWebFactory factory, TestData data, string administratorId)
    {
        var account = await data.AccountAsync();
        var contact = await data.ContactAsync(account);
        var parent = await data.CaseAsync(contact);
        var child = await data.CaseAsync(contact);
        var other = await data.CaseAsync(contact);
        var secondOther = await data.CaseAsync(contact);
        var service = factory.Database.NewCaseService();
        await service.AddChildrenAsync(parent.Id, [child.Id], data.User.Id);
        var comment = await service.AddCommentAsync(parent.Id, "Comentario de la prueba de seguridad.", data.User.Id);
        var attachments = await service.AddAttachmentsAsync(parent.Id, [UploadedFile.Of("nota.txt", Encoding.UTF8.GetBytes("hola"))], data.User.Id);
        var category = await data.CategoryAsync();
        var user = await data.UserAsync();
        var activity = await factory.Database.NewActivityService().CreateAsync(
            ActivityType.Task, new ActivityFields("Tarea de la prueba de seguridad", null, ActivityPriority.Normal, data.User.Id, new Regarding(RegardingType.Case, parent.Id)),
            data.User.Id);
        var mailbox = await factory.InDbAsync(async db =>
        {
            var row = new CaseCrm.Domain.Email.Mailbox
            {
                Name = "Buzón de la prueba de seguridad", ImapHost = "127.0.0.1", ImapPort = 1, SmtpHost = "127.0.0.1", SmtpPort = 1,
                Address = $"seguridad-{Guid.NewGuid():N}@casecrm.example", DisplayName = "Seguridad", DefaultCategoryId = category.Id, IsActive = false,
            };
            db.Mailboxes.Add(row);
            await db.SaveChangesAsync();
            return row;
        });
        var (email, quickReply) = await factory.InDbAsync(async db =>
        {
            var message = CaseCrm.Domain.Email.EmailMessage.Queue(
                parent.Id, mailbox.Id, $"{Guid.NewGuid():N}@casecrm.example", new(mailbox.Address, "Seguridad"),
                new("cliente@cliente.example", null, "Re: prueba", "Texto", null, null), data.User.Id, DateTime.UtcNow);
            message.State = CaseCrm.Domain.Email.DeliveryState.Failed;
            message.LastError = "550 buzón inexistente";
            var reply = new CaseCrm.Domain.Email.QuickReply();
            reply.Update($"Seguridad {Guid.NewGuid():N}", "Asunto", "Hola {contacto.nombre}");
            db.EmailMessages.Add(message);
            db.QuickReplies.Add(reply);
            await db.SaveChangesAsync();
            return (message.Id, reply.Id);
        });
        var (calendar, policy) = await factory.InDbAsync(async db =>
        {
            var row = new CaseCrm.Domain.ServiceLevels.ServiceCalendar();
            row.Update($"Seguridad {Guid.NewGuid():N}", "Europe/Madrid",
                [new(NodaTime.IsoDayOfWeek.Monday, new NodaTime.LocalTime(9, 0), new NodaTime.LocalTime(17, 0))]);
            db.ServiceCalendars.Add(row);
            await db.SaveChangesAsync();
            var rule = new CaseCrm.Domain.ServiceLevels.ServicePolicy();
            rule.Update("Seguridad", CasePriority.Urgent, category.Id, row.Id, 60, 480);
            db.ServicePolicies.Add(rule);
            await db.SaveChangesAsync();
            return (row.Id, rule.Id);
        });
        // The shared administrator's: it marks it read, also through a forged form id; everyone else gets 404.
        var notification = await factory.InDbAsync(async db =>
        {
            var row = new Notification(administratorId, NotificationKind.Assigned, parent.Id, user.Id, DateTime.UtcNow);
            db.Notifications.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });
        // An upload of the shared administrator waiting for its mapping (Importar): any other user's request gets 404.
        using var upload = new MemoryStream(Encoding.UTF8.GetBytes("Nombre;Apellidos\nAna;Prueba\n"));
        var importToken = await factory.Services.GetRequiredService<CaseCrm.Web.Features.Import.ImportFiles>().SaveAsync(administratorId, upload, default);
        return new SecurityWorld(
            account.Id, contact.Id, parent.Id, child.Id, other.Id, secondOther.Id, comment.Id, attachments[0].Id, category.Id, user.Id, activity.Id, mailbox.Id, email, quickReply, calendar,
            policy, notification, importToken)
        {
            SavedViewId = await factory.InDbAsync(async db =>
            {
                var view = new SavedView(administratorId, $"Seguridad {Guid.NewGuid():N}"[..40], "view=all&priority=Urgent", isShared: true);
                db.SavedViews.Add(view);
                await db.SaveChangesAsync();
                return view.Id;
            }),
            TokenId = await factory.InDbAsync(async db =>
            {
                var token = CaseCrm.Domain.Access.PersonalAccessToken.Create(administratorId, "Seguridad", DateTime.UtcNow.AddDays(30), DateTime.UtcNow).Token;
                db.PersonalAccessTokens.Add(token);
                await db.SaveChangesAsync();
                return token.Id;
            }),
        };
    }
}
