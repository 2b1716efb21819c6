namespace CaseCrm.Data.Identity;

/// <summary>The three roles, named as the team calls them.</summary>
public static class Roles
{
    public const string Agent = "Agente";
    public const string Supervisor = "Supervisor";
    public const string Administrator = "Administrador";

    /// <summary>Supervisors and administrators: who may associate cases, remove children and reopen.</summary>
    public const string SupervisorOrAdmin = Supervisor + "," + Administrator;

    public static readonly IReadOnlyList<string> All = [Agent, Supervisor, Administrator];
}
