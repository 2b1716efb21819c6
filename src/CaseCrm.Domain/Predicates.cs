using System.Linq.Expressions;

namespace CaseCrm.Domain;

/// <summary>Joins rule expressions so that each part is written once and the whole still translates to SQL.</summary>
public static class Predicates
{
    public static Expression<Func<T, bool>> And<T>(params Expression<Func<T, bool>>[] parts)
    {
        var parameter = Expression.Parameter(typeof(T), "x");
        var body = parts
            .Select(p => new Rebind(p.Parameters[0], parameter).Visit(p.Body))
            .Aggregate(Expression.AndAlso);
        return Expression.Lambda<Func<T, bool>>(body, parameter);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
