using System.Text;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.CaseWork;

/// <summary>
/// The limits that keep uploads from filling the disk (issue 14, finding 1): the total of a case, what one user may upload
/// in an hour, and the size of the request itself. Each refusal is a message beside the upload, and nothing is saved.
/// Only <see cref="Upload_OverTheUsersHourlyQuota_IsRefused_AndOlderUploadsDoNotCount"/> uploads as the agent, so that
/// the agent's hour holds only what that test puts there.
/// </summary>
public sealed class AttachmentQuotaTests(AttachmentQuotaFactory factory) : IClassFixture<AttachmentQuotaFactory>
{
    [Fact]
    public async Task Upload_OverTheCasesTotal_IsRefusedWithAMessage_AndWritesNothing_WhileUpToItIsAccepted()
    {
        var item = await NewCaseAsync();
        var other = await factory.NewUserAsync(Roles.Agent);
        await InsertAttachmentAsync(item.Id, other.Id, 100 * 1024, DateTime.UtcNow.AddDays(-3));
        await InsertAttachmentAsync(item.Id, other.Id, 100 * 1024, DateTime.UtcNow.AddDays(-2));
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        using var over = await (await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form"))
            .AttachFile("files", "uno.pdf", Pdf(30 * 1024))
            .AttachFile("files", "dos.pdf", Pdf(30 * 1024))
            .PostAsync();

        Assert.Equal($"/Cases/{item.Id}#attachments", over.RedirectTarget());
        var page = await client.FollowAsync(over);
        Assert.Equal("Los archivos adjuntos de un caso no pueden superar 250 KB en total; quedan 50 KB libres.", page.Text("#attachment-error"));
        Assert.Null(page.Flash());
        await factory.AssertUnchangedAsync(before);

        using var upTo = await (await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form")).AttachFile("files", "justo.pdf", Pdf(50 * 1024)).PostAsync();

        Assert.Equal("Se adjuntó: justo.pdf.", (await client.FollowAsync(upTo)).Flash());
        Assert.Equal(AttachmentQuotaFactory.MaxCaseBytes, await factory.InDbAsync(db => db.CaseAttachments.Where(a => a.CaseId == item.Id).SumAsync(a => a.Size)));
    }

    [Fact]
    public async Task Upload_OverTheUsersHourlyQuota_IsRefused_AndOlderUploadsDoNotCount()
    {
        var agentId = await factory.UserIdAsync(Agent);
        var earlier = await NewCaseAsync();
        await InsertAttachmentAsync(earlier.Id, agentId, 100 * 1024, DateTime.UtcNow.AddMinutes(-50));
        await InsertAttachmentAsync(earlier.Id, agentId, 100 * 1024, DateTime.UtcNow.AddMinutes(-20));
        var other = await NewCaseAsync();
        await InsertAttachmentAsync(other.Id, agentId, 100 * 1024, DateTime.UtcNow.AddMinutes(-10));
        await InsertAttachmentAsync(other.Id, agentId, 90 * 1024, DateTime.UtcNow.AddMinutes(-5));
        await InsertAttachmentAsync(other.Id, agentId, 100 * 1024, DateTime.UtcNow.AddMinutes(-61));
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        using var over = await (await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form")).AttachFile("files", "mucho.pdf", Pdf(20 * 1024)).PostAsync();

        var page = await client.FollowAsync(over);
        Assert.Equal("Puede subir como máximo 400 KB por hora; le quedan 10 KB en esta hora.", page.Text("#attachment-error"));
        await factory.AssertUnchangedAsync(before);

        using var upTo = await (await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form")).AttachFile("files", "poco.pdf", Pdf(10 * 1024)).PostAsync();

        Assert.Equal("Se adjuntó: poco.pdf.", (await client.FollowAsync(upTo)).Flash());
    }

    [Fact]
    public async Task Upload_OfARequestLargerThanTheLimitsAllow_IsRefusedBeforeItsBodyIsRead_WithAMessage()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form");
        for (var i = 0; i < 4; i++)
        {
            form.AttachFile("files", $"parte-{i}.pdf", Pdf(90 * 1024));
        }

        var before = await factory.SnapshotAsync();

        using var response = await form.PostAsync();

        Assert.Equal($"/Cases/{item.Id}#attachments", response.RedirectTarget());
        var page = await client.FollowAsync(response);
        Assert.Equal(
            "La subida supera 324 KB, lo máximo que admiten los límites de archivos adjuntos. No se guardó nada.",
            page.Text("#attachment-error"));
        await factory.AssertUnchangedAsync(before);
    }

    private static byte[] Pdf(int size)
    {
        var content = new byte[size];
        Encoding.ASCII.GetBytes("%PDF-1.4\n").CopyTo(content, 0);
        return content;
    }

    private async Task<Case> NewCaseAsync() => await (await factory.NewDataAsync()).UniqueCaseAsync("Con cuota");

    private Task<int> InsertAttachmentAsync(int caseId, string uploaderId, int size, DateTime uploadedAt) =>
        factory.InDbAsync(async db =>
        {
            var attachment = new CaseAttachment(caseId, "anterior.pdf", Pdf(size), uploaderId, uploadedAt);
            db.CaseAttachments.Add(attachment);
            await db.SaveChangesAsync();
            return attachment.Id;
        });
}
