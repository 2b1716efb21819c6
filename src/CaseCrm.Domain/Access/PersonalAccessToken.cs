using System.Security.Cryptography;
using System.Text;

namespace CaseCrm.Domain.Access;

/// <summary>
/// A personal access token for the API (/api/v1): a named secret a user makes for an integration, acting as that user
/// with that user's role until it expires or is revoked (ADR 0027). Only the SHA-256 of the secret is kept, and a short
/// prefix to tell tokens apart; the secret itself is shown once, when it is made.
/// </summary>
public class PersonalAccessToken
{
    /// <summary>What every secret starts with, so a leaked one is recognised by secret scanners and people.</summary>
    public const string SecretPrefix = "ccrm_";

    /// <summary>The characters of a secret kept for display: <see cref="SecretPrefix"/> and a few random ones.</summary>
    public const int DisplayPrefixLength = 12;

    /// <summary>The longest a token may live.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    private PersonalAccessToken()
    {
    }

    private PersonalAccessToken(string ownerId, string name, DateTime createdAt, DateTime expiresAt, string secret)
    {
        OwnerId = ownerId;
        Name = name;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
        SecretHash = Hash(secret);
        Prefix = secret[..DisplayPrefixLength];
    }

    public int Id { get; private set; }

    public string OwnerId { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public DateTime CreatedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    public DateTime? LastUsedAt { get; private set; }

    /// <summary>The SHA-256 of the secret, lower-case hex.</summary>
    public string SecretHash { get; private set; } = string.Empty;

    /// <summary>The secret's first characters, not enough to use it: shown in the list and written to the log.</summary>
    public string Prefix { get; private set; } = string.Empty;

    /// <summary>
    /// Makes a token for <paramref name="ownerId"/> and its secret (returned once, never stored). The name must be given and
    /// at most <see cref="Limits.TokenName"/> long; the expiry in the future and at most <see cref="MaxLifetime"/> away.
    /// </summary>
    public static (PersonalAccessToken Token, string Secret) Create(string ownerId, string name, DateTime expiresAt, DateTime now)
    {
        name = name.Trim();
        if (name.Length is 0 or > Limits.TokenName)
        {
            throw new ArgumentException("A token needs a name of at most " + Limits.TokenName + " characters.", nameof(name));
        }

        if (!IsValidExpiry(expiresAt, now))
        {
            throw new ArgumentOutOfRangeException(nameof(expiresAt), "A token expires in the future and within a year.");
        }

        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (new PersonalAccessToken(ownerId, name, now, expiresAt, secret), secret);
    }

    public static bool IsValidExpiry(DateTime expiresAt, DateTime now) => expiresAt > now && expiresAt <= now + MaxLifetime;

    /// <summary>Whether a request may use it now (the owner being active is checked beside it).</summary>
    public bool IsUsable(DateTime now) => RevokedAt is null && ExpiresAt > now;

    /// <summary>Stops the token at once; revoking a revoked token changes nothing.</summary>
    public void Revoke(DateTime now) => RevokedAt ??= now;

    /// <summary>The SHA-256 of a secret as stored, lower-case hex.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
