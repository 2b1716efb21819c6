namespace CaseCrm.Data;

/// <summary>The record asked for does not exist; the web layer answers 404.</summary>
public sealed class NotFoundException(string entity, int id) : Exception($"{entity} {id} does not exist.")
{
    public string Entity { get; } = entity;
    public int Id { get; } = id;
}
