using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CaseCrm.Data;

/// <summary>
/// The compiled queries of the busiest requests (the contact page, creating a case): EF skips the expression-tree work and
/// the query cache lookup on every call (measured in docs/performance.md). A compiled query belongs to one model, and each
/// database provider has its own, so each query is kept per model (one in the app, two in the tests).
/// </summary>
public static class CompiledQueries
{
    public static T For<T>(ConcurrentDictionary<IModel, T> queries, CrmDbContext db, Func<T> compile) =>
        queries.GetOrAdd(db.Model, static (_, compile) => compile(), compile);
}
