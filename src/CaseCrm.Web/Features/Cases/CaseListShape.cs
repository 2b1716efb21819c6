using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Text;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;

namespace CaseCrm.Web.Features.Cases;

/// <summary>
/// The values of one request of the case list that its query reads. Every lambda of the list's query reads them from
/// here, never from a local of its own: a shape's query (<see cref="CaseListShape"/>) is compiled once with these as its
/// parameters, and a value read from elsewhere would stay the first request's. <see cref="Skip"/> and <see cref="Take"/>
/// are not read by a lambda: they are literals of the query, and of the shape.
/// </summary>
public sealed class CaseListArgs
{
    /// <summary>The signed-in user, for "Mis casos".</summary>
    public string? UserId { get; init; }

    public int CategoryId { get; init; }

    /// <summary>The assignee filter's user id ("none" is a shape of its own).</summary>
    public string? Assignee { get; init; }

    /// <summary>The age filter's bounds on the creation time.</summary>
    public DateTime CreatedBefore { get; init; }

    public DateTime CreatedFrom { get; init; }

    /// <summary>The moment the service-level filters compare the due times with.</summary>
    public DateTime Now { get; init; }

    /// <summary>The case number searched for.</summary>
    public int Number { get; init; }

    /// <summary>The rows before the page's first.</summary>
    public int Skip { get; init; }

    /// <summary>The rows read: one more than the page shows.</summary>
    public int Take { get; init; }

    /// <summary>How far a branch of a bounded read goes: <see cref="Skip"/> + <see cref="Take"/>.</summary>
    public int Reach => Skip + Take;
}

/// <summary>
/// What decides the case list's query apart from <see cref="CaseListArgs"/>: the view, which filters are set (and the
/// status and priority, which choose the branches of a bounded read), the sort, the page's place and the model (a
/// compiled query belongs to one: <see cref="CompiledQueries"/>). The list's page query of a shape is compiled once (ADR
/// 0036): building and parameterizing a tree of up to thirty branches cost the default view about 60 % of its 480 KB a
/// request. A search by title is no shape (its text goes into the provider's full-text query as it is built); neither is
/// a status or priority that is not one of theirs. The page's place (<see cref="Skip"/>, <see cref="Take"/>) is a literal
/// of the query, so of the shape: SQLite reads a branch four times slower with <c>LIMIT ?</c> than with <c>LIMIT 26</c>
/// (the default view's statement 0.88 ms against 0.20).
/// </summary>
internal sealed record CaseListShape(
    string View, CaseStatus? Status, CasePriority? Priority, bool ByCategory, string? AssigneeKind, string? Age, string? Sla,
    bool ByNumber, string Sort, bool Descending, int Skip, int Take, IModel Model)
{
    /// <summary>
    /// The most shapes kept compiled for a model. Past it a shape's query is built for each request, as a search's is: a
    /// client that walks every combination of filters and pages cannot make the process keep one query for each.
    /// </summary>
    public const int MaxCompiled = 200;

    private static readonly ConcurrentDictionary<IModel, ConcurrentDictionary<CaseListShape, CompiledPage<CaseRow>>> Pages = new();

    /// <summary>How many shapes are kept compiled for <paramref name="model"/>.</summary>
    public static int Kept(IModel model) => Pages.TryGetValue(model, out var kept) ? kept.Count : 0;

    public static CaseListShape? Of(CaseListFilter filter, SortOrder sort, CaseListArgs args, CrmDbContext db)
    {
        var byNumber = CaseNumber.TryParse(filter.Q) is not null;
        if ((!byNumber && SearchText.Fold(filter.Q) is { Length: > 0 })
            || filter.Status is { } status && !Enum.IsDefined(status)
            || filter.Priority is { } priority && !Enum.IsDefined(priority))
        {
            return null;
        }

        var assignee = string.IsNullOrEmpty(filter.Assignee) ? null : filter.Assignee == "none" ? "none" : "one";
        return new CaseListShape(
            filter.EffectiveView, filter.Status, filter.Priority, filter.CategoryId is not null, assignee,
            BacklogAge.Find(filter.Age)?.Key, filter.Sla is CaseQueries.AtRisk or CaseQueries.Breached ? filter.Sla : null,
            byNumber, sort.Key, sort.Descending, args.Skip, args.Take, db.Model);
    }

    /// <summary>
    /// The compiled query of <paramref name="shape"/>, compiled from <paramref name="query"/> the first time; null when
    /// <see cref="MaxCompiled"/> shapes of its model are kept already.
    /// </summary>
    public static CompiledPage<CaseRow>? Compiled(CaseListShape shape, Func<IQueryable<Counted<CaseRow>>> query)
    {
        var kept = Pages.GetOrAdd(shape.Model, static _ => new());
        if (kept.TryGetValue(shape, out var compiled))
        {
            return compiled;
        }

        return kept.Count < MaxCompiled ? kept.GetOrAdd(shape, new CompiledPage<CaseRow>(query().Expression)) : null;
    }

    /// <summary>
    /// A page query of the case list's builders, compiled: the request's <see cref="CaseListArgs"/> are its parameters.
    /// The list's shapes are <typeparamref name="TRow"/> = <see cref="CaseRow"/>; the start page keeps its own.
    /// </summary>
    public sealed class CompiledPage<TRow>
    {
        private static readonly ParameterExpression Db = Expression.Parameter(typeof(CrmDbContext), "db");
        private static readonly ParameterExpression UserId = Parameter<string>(nameof(CaseListArgs.UserId));
        private static readonly ParameterExpression CategoryId = Parameter<int>(nameof(CaseListArgs.CategoryId));
        private static readonly ParameterExpression Assignee = Parameter<string>(nameof(CaseListArgs.Assignee));
        private static readonly ParameterExpression CreatedBefore = Parameter<DateTime>(nameof(CaseListArgs.CreatedBefore));
        private static readonly ParameterExpression CreatedFrom = Parameter<DateTime>(nameof(CaseListArgs.CreatedFrom));
        private static readonly ParameterExpression Now = Parameter<DateTime>(nameof(CaseListArgs.Now));
        private static readonly ParameterExpression Number = Parameter<int>(nameof(CaseListArgs.Number));

        private static readonly Dictionary<string, ParameterExpression> ByName =
            new[] { UserId, CategoryId, Assignee, CreatedBefore, CreatedFrom, Now, Number }.ToDictionary(p => p.Name!);

        private readonly Func<CrmDbContext, string?, int, string?, DateTime, DateTime, DateTime, int, IAsyncEnumerable<Counted<TRow>>> run;

        public CompiledPage(Expression query)
        {
            var body = new Parameterizer().Visit(query);
            run = EF.CompileAsyncQuery(
                Expression.Lambda<Func<CrmDbContext, string?, int, string?, DateTime, DateTime, DateTime, int, IQueryable<Counted<TRow>>>>(
                    body, Db, UserId, CategoryId, Assignee, CreatedBefore, CreatedFrom, Now, Number));
        }

        public async Task<List<Counted<TRow>>> ReadAsync(CrmDbContext db, CaseListArgs args, CancellationToken ct)
        {
            var rows = new List<Counted<TRow>>(args.Take);
            await foreach (var row in run(
                db, args.UserId, args.CategoryId, args.Assignee, args.CreatedBefore, args.CreatedFrom, args.Now, args.Number).WithCancellation(ct))
            {
                rows.Add(row);
            }

            return rows;
        }

        private static readonly MethodInfo SetOf = typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!;

        private static ParameterExpression Parameter<T>(string name) => Expression.Parameter(typeof(T), name);

        /// <summary>
        /// Turns a request's query into its shape's: each read of <see cref="CaseListArgs"/> becomes a parameter, the
        /// request's context (a constant, or a field of the queries' object) the lambda's, a captured query (the count's,
        /// a branch union's) its tree. A captured status or priority stays: it is the shape's. Any other captured value is
        /// a mistake (it would stay the first request's), so it throws.
        /// </summary>
        private sealed class Parameterizer : ExpressionVisitor
        {
            protected override Expression VisitMember(MemberExpression node)
            {
                if (node.Expression?.Type == typeof(CaseListArgs))
                {
                    return ByName[node.Member.Name];
                }

                if (node.Expression is ConstantExpression { Value: { } closure })
                {
                    var value = node.Member is FieldInfo field ? field.GetValue(closure) : ((PropertyInfo)node.Member).GetValue(closure);
                    return value switch
                    {
                        IQueryable captured => Visit(captured.Expression),
                        CrmDbContext => Db,
                        CaseStatus or CasePriority => node,
                        _ => throw new InvalidOperationException(
                            $"The case list's query reads '{node.Member.Name}' from a closure; a value that varies between requests must come from {nameof(CaseListArgs)}."),
                    };
                }

                return base.VisitMember(node);
            }

            protected override Expression VisitConstant(ConstantExpression node) => node.Value is CrmDbContext ? Db : node;

            // A table the request's context read becomes the lambda's context's (db.Set<T>()), as the rows' lookups are:
            // each run is given its own context, and EF refuses a query whose roots belong to different ones.
            protected override Expression VisitExtension(Expression node) =>
                node is EntityQueryRootExpression root
                    ? Expression.Call(Db, SetOf.MakeGenericMethod(root.ElementType))
                    : base.VisitExtension(node);
        }
    }
}
