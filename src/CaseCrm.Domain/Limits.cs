namespace CaseCrm.Domain;

/// <summary>Field lengths shared by validators and the EF model.</summary>
public static class Limits
{
    public const int Name = 100;
    public const int AccountName = 200;
    public const int Email = 256;
    public const int Phone = 40;
    public const int TaxId = 40;
    public const int Website = 300;
    public const int Address = 500;
    public const int JobTitle = 100;
    public const int CaseTitle = 200;
    public const int CaseDescription = 10_000;
    public const int CaseResolution = 10_000;
    public const int CategoryName = 100;

    /// <summary>A personal access token's name ("Centralita", "Formulario web").</summary>
    public const int TokenName = 100;

    /// <summary>The longest contact search term (ADR 0009); longer texts are cut, and so are the words typed.</summary>
    public const int SearchTerm = 64;

    /// <summary>"last first", folded: two names and a space.</summary>
    public const int SortName = (2 * Name) + 1;
    public const int UserId = 450;

    /// <summary>A user's name as shown beside cases and comments.</summary>
    public const int UserDisplayName = 2 * Name;

    /// <summary>Passwords: length, not composition (NIST SP 800-63B); any characters.</summary>
    public const int PasswordMin = 8;
    public const int PasswordMax = 128;
    public const int CommentBody = 4_000;
    public const int FileName = 150;
    public const int ContentType = 100;
    public const int HistoryField = 40;
    public const int HistoryValue = 1_000;
    public const int ActivitySubject = 200;
    public const int ActivityDescription = 10_000;
    public const int ActivityLocation = 200;
    public const int Host = 253;
    public const int MailUser = 256;
    public const int MailFolder = 200;
    public const int MessageId = 500;
    public const int EmailSubject = 998;
    public const int EmailRecipients = 4_000;

    /// <summary>Bodies are kept whole up to this size (a long thread quoted many times); the rest is cut.</summary>
    public const int EmailBody = 200_000;
    public const int QuickReplyBody = 20_000;
    public const int TimeZoneId = 64;

    /// <summary>A saved view's name: short enough for a tab of the case list.</summary>
    public const int SavedViewName = 60;

    /// <summary>A saved view's filters, as the case list's query string; its search text is cut to <see cref="CaseTitle"/>.</summary>
    public const int SavedViewQuery = 4_000;

    /// <summary>The most minutes a call may be logged with: a working day.</summary>
    public const int CallMinutesMax = 24 * 60;
    public const int MinMaxChildren = 1;
    public const int MaxMaxChildren = 1_000;
}
