using System.Linq.Expressions;

namespace CaseCrm.Domain.Cases;

/// <summary>Case status; which ones are active is said once, by <see cref="CaseStatuses.Active"/>.</summary>
public enum CaseStatus
{
    New = 1,
    InProgress = 2,
    OnHold = 3,
    Resolved = 4,
    Closed = 5,
    Cancelled = 6,
}

/// <summary>Status groups: the one definition of "active", as a list, a database predicate and its compiled form.</summary>
public static class CaseStatuses
{
    /// <summary>The statuses of a case still being worked on.</summary>
    public static readonly IReadOnlyList<CaseStatus> Active = [CaseStatus.New, CaseStatus.InProgress, CaseStatus.OnHold];

    public static readonly IReadOnlyList<CaseStatus> Closed = Enum.GetValues<CaseStatus>().Except(Active).ToList();

    /// <summary>
    /// "The case is active", for queries and set-based statements: <c>Status = 1 OR Status = 2 OR …</c> built from
    /// <see cref="Active"/>, so the database compares with constants (index-friendly) and never by the enum's order.
    /// </summary>
    public static readonly Expression<Func<Case, bool>> IsActiveCase = In(Active);

    private static readonly Func<Case, bool> IsActiveCompiled = IsActiveCase.Compile();

    public static bool IsActive(this CaseStatus status) => Active.Contains(status);

    /// <summary>The compiled form of <see cref="IsActiveCase"/>; the domain's checks use it.</summary>
    public static bool IsActive(Case item) => IsActiveCompiled(item);

    /// <summary><c>Status = 1 OR Status = 2 OR …</c> for <paramref name="statuses"/>: constants the database can seek on.</summary>
    public static Expression<Func<Case, bool>> In(IReadOnlyList<CaseStatus> statuses)
    {
        var item = Expression.Parameter(typeof(Case), "c");
        var status = Expression.Property(item, nameof(Case.Status));
        var body = statuses
            .Select(s => (Expression)Expression.Equal(status, Expression.Constant(s)))
            .Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<Case, bool>>(body, item);
    }
}
