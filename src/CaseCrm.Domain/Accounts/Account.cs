using CaseCrm.Domain.Text;

namespace CaseCrm.Domain.Accounts;

/// <summary>A customer organisation ("cuenta" or "cliente").</summary>
public class Account
{
    public int Id { get; set; }
    private string _name = string.Empty;

    public string Name
    {
        get => _name;
        set
        {
            _name = value;
            SearchName = SearchText.Fold(value);
        }
    }

    /// <summary>The folded name, for accent- and case-insensitive search and sorting.</summary>
    public string SearchName { get; private set; } = string.Empty;
    public string? TaxId { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Website { get; set; }
    public string? Address { get; set; }
    public string? OwnerId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
