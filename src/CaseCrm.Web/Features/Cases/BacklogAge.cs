namespace CaseCrm.Web.Features.Cases;

/// <summary>
/// How long an open case has been open, in the buckets of the start page (by creation time): each bucket is the case
/// list's <c>age</c> filter, so that a figure links to the cases it counts.
/// </summary>
public sealed record BacklogAge(string Key, int FromDays, int? ToDays)
{
    /// <summary>The buckets, youngest first: under 1 day, 1–3, 3–7, 7–30 and over 30 days.</summary>
    public static readonly IReadOnlyList<BacklogAge> Buckets =
    [
        new("lt1", 0, 1),
        new("1to3", 1, 3),
        new("3to7", 3, 7),
        new("7to30", 7, 30),
        new("gt30", 30, null),
    ];

    /// <summary>The days that the start page counts bucket by bucket; older open cases are the rest of the backlog.</summary>
    public const int RecentDays = 30;

    public static BacklogAge? Find(string? key) => Buckets.FirstOrDefault(b => b.Key == key);

    /// <summary>Cases created at or after this time are younger than the bucket's upper bound (null: no bound).</summary>
    public DateTime? CreatedFrom(DateTime now) => ToDays is { } to ? now.AddDays(-to) : null;

    /// <summary>Cases created before this time are at least <see cref="FromDays"/> old.</summary>
    public DateTime CreatedBefore(DateTime now) => now.AddDays(-FromDays);
}
