namespace CaseCrm.Data.Identity;

/// <summary>
/// Users that act for the application itself. They cannot sign in (inactive, no password) and are made by
/// <see cref="DbInitializer"/> in every database.
/// </summary>
public static class SystemUsers
{
    /// <summary>Who creates, joins and reopens cases from incoming email, in the history and beside the case.</summary>
    public const string MailId = "casecrm-system-mail";
    public const string MailUserName = "correo@sistema.casecrm.invalid";
    public const string MailDisplayName = "Correo electrónico";
}
