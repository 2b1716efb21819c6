namespace CaseCrm.Data.Identity;

/// <summary>The three roles, named as the team calls them.</summary>
public static class Roles
{
    public const string Agent = "Agente";
    public const string Supervisor = "Supervisor";
    public const string Administrator = "Administrador";

    public static readonly IReadOnlyList<string> All = [Agent, Supervisor, Administrator];
}
