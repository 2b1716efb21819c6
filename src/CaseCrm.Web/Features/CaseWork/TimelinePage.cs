using System.Globalization;

namespace CaseCrm.Web.Features.CaseWork;

/// <summary>One page of a case's timeline; <see cref="Older"/> reads the next one, null when this is the last.</summary>
public sealed record TimelinePage(IReadOnlyList<TimelineEntry> Entries, TimelineCursor? Older);

/// <summary>Where a page of the timeline ends: the time, kind and id of its last entry; "ticks-kind-id" in a URL.</summary>
public sealed record TimelineCursor(DateTime At, TimelineKind Kind, int Id)
{
    public static TimelineCursor After(TimelineEntry entry) => new(DateTime.SpecifyKind(entry.At, DateTimeKind.Utc), entry.Kind, entry.Id);

    /// <summary>The cursor written by <see cref="ToString"/>; null for anything else (the page then starts with the newest).</summary>
    public static TimelineCursor? Parse(string? text)
    {
        var parts = text?.Split('-');
        return parts is [var ticks, var kind, var id]
            && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            && at <= DateTime.MaxValue.Ticks
            && int.TryParse(kind, NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && Enum.IsDefined((TimelineKind)k)
            && int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                ? new TimelineCursor(new DateTime(at, DateTimeKind.Utc), (TimelineKind)k, i)
                : null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{At.Ticks}-{(int)Kind}-{Id}");
}
