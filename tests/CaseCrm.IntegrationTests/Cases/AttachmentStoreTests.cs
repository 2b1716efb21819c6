using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.IntegrationTests.Cases;

/// <summary>
/// Attachments on each provider (issue 14, finding 1): the bytes go into the database in pieces and come back whole, and
/// uploads at the same moment cannot together pass a quota — each reads the sums after the other committed.
/// </summary>
public abstract class AttachmentStoreTests(DatabaseProvider provider) : DatabaseTest(provider)
{
    [Fact]
    public async Task AStreamedFile_IsStoredWhole_AndCopiedBackByteForByte()
    {
        var item = (await Data.CasesAsync(1))[0];
        var content = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(content);
        "%PDF-1.7\n"u8.CopyTo(content);
        var file = new UploadedFile("grande.pdf", content.Length, () => new OneWayStream(content));

        var added = await Database.NewCaseService().AddAttachmentsAsync(item.Id, [file], Data.User.Id);

        await using var db = Database.NewContext();
        using var copy = new MemoryStream();
        Assert.True(await AttachmentContentStore.CopyToAsync(db, added[0].Id, copy, CancellationToken.None));
        Assert.Equal(content, copy.ToArray());
        Assert.Equal(content.Length, await db.CaseAttachments.Where(a => a.Id == added[0].Id).Select(a => a.Size).SingleAsync());
        Assert.False(await AttachmentContentStore.CopyToAsync(db, added[0].Id + 1000, copy, CancellationToken.None));
    }

    [Fact]
    public async Task UploadsAtTheSameMoment_NeverTogetherPassTheCasesTotal_NorTheUsersHour()
    {
        // Each upload alone fits; all of them together would pass the limit: at most two of each race may be accepted.
        var limits = new AttachmentLimits { MaxFileBytes = 100 * 1024, MaxCaseBytes = 250 * 1024, MaxUserBytesPerHour = 10 * 1024 * 1024 };
        var hourly = new AttachmentLimits { MaxFileBytes = 100 * 1024, MaxCaseBytes = 10 * 1024 * 1024, MaxUserBytesPerHour = 250 * 1024 };
        for (var round = 0; round < 5; round++)
        {
            var item = (await Data.CasesAsync(1))[0];
            await RaceAsync(4, (_, service) => service.AddAttachmentsAsync(item.Id, [Pdf()], Data.User.Id, limits));
            Assert.Equal(2, await Database.InDbAsync(db => db.CaseAttachments.CountAsync(a => a.CaseId == item.Id)));

            var user = (await Data.UserAsync()).Id;
            var cases = await Data.CasesAsync(4);
            await RaceAsync(4, (i, service) => service.AddAttachmentsAsync(cases[i].Id, [Pdf()], user, hourly));
            Assert.Equal(2, await Database.InDbAsync(db => db.CaseAttachments.CountAsync(a => a.UploadedById == user)));
        }
    }

    private static UploadedFile Pdf()
    {
        var content = new byte[100 * 1024];
        "%PDF-1.4\n"u8.CopyTo(content);
        return UploadedFile.Of("parte.pdf", content);
    }

    /// <summary>Runs <paramref name="count"/> uploads at once, each with its own context (as separate instances would); refusals are expected.</summary>
    private async Task RaceAsync(int count, Func<int, CaseService, Task> upload)
    {
        var (results, _) = await Race.RunAsync(Database, [.. Enumerable.Range(0, count).Select(i => (Func<CaseService, Task>)(s => upload(i, s)))]);
        var unexpected = results.FirstOrDefault(ex => ex is not (null or CaseRuleException));
        Assert.True(unexpected is null, $"An upload failed with something other than a rule refusal: {unexpected}");
    }

    /// <summary>A stream that can only be read forward, as a request body; reads return at most 8 KB.</summary>
    private sealed class OneWayStream(byte[] content) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 8192), content.Length - _position);
            Array.Copy(content, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    public sealed class Sqlite() : AttachmentStoreTests(DatabaseProvider.Sqlite);

    public sealed class Postgres() : AttachmentStoreTests(DatabaseProvider.Postgres);
}
