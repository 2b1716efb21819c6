namespace CaseCrm.BrowserTests.Infrastructure;

/// <summary>Folders of the repository the tests run from.</summary>
internal static class RepoPaths
{
    /// <summary>The folder that holds CaseCrm.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>docs/images: the README's screenshots, which the browser tests retake on every run.</summary>
    public static string DocsImages => Path.Combine(Root, "docs", "images");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CaseCrm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No CaseCrm.sln above {AppContext.BaseDirectory}.");
    }
}
