using Xunit;

namespace CaseCrm.BrowserTests.Infrastructure;

/// <summary>
/// Tests that change the parent/child settings (Configuración → Casos principales y secundarios). xunit gives this
/// collection its own <see cref="BrowserFixture"/>: its own app on its own database, so a changed setting never
/// reaches the tests of <see cref="BrowserCollection"/>, which may run at the same time. Within the collection the
/// tests run one after the other, and each restores what it changed.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SettingsCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser (settings)";
}
