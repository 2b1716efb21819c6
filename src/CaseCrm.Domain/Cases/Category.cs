namespace CaseCrm.Domain.Cases;

/// <summary>A case category managed by administrators; inactive ones stay on old cases but are no longer offered.</summary>
public class Category
{
    public int Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public bool IsActive { get; set; } = true;
}
