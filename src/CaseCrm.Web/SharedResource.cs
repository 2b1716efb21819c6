namespace CaseCrm.Web;

/// <summary>Marker for Resources/SharedResource.resx, the one resource file of the visible strings (Spanish neutral, English satellite).</summary>
public sealed class SharedResource;
