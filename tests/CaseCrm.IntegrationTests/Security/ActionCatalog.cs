using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ActionConstraints;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.Routing;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// One way to reach one controller action: an HTTP method ("ANY" when the action takes every method) and a route
/// template, such as <c>POST /Cases/{id:int}/Reopen</c>.
/// </summary>
public sealed partial record ActionEndpoint(Type Controller, MethodInfo Method, string Verb, string Template)
{
    /// <summary>How the access matrix names the endpoint: <c>GET /Accounts/{id:int}</c>.</summary>
    public string Key => $"{Verb} /{Template}";

    public string ControllerName => Controller.Name[..^"Controller".Length];

    /// <summary>The route parameters, such as <c>id</c> and <c>commentId</c>.</summary>
    public IReadOnlyList<string> Parameters => RouteParameter().Matches(Template).Select(m => m.Groups["name"].Value).ToList();

    /// <summary>The HTTP methods to probe: an "ANY" action is probed with GET and POST.</summary>
    public IReadOnlyList<string> ProbeVerbs => Verb == ActionCatalog.AnyVerb ? ["GET", "POST"] : [Verb];

    /// <summary>The concrete path, each route parameter replaced by <paramref name="valueOf"/>(parameter).</summary>
    public string Path(Func<string, string> valueOf) =>
        "/" + RouteParameter().Replace(Template, m => Uri.EscapeDataString(valueOf(m.Groups["name"].Value)));

    public override string ToString() => $"{Key} ({Controller.Name}.{Method.Name})";

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::[^}?=]+)*\??\}")]
    private static partial Regex RouteParameter();
}

/// <summary>
/// Every action of the web app, found by reflection over its assembly the way MVC finds them: public non-abstract
/// Controller classes, their public instance methods that are not [NonAction] nor inherited from the framework, each
/// method's HTTP-method attributes and route templates (combined with the controller's, or the conventional
/// <c>{controller}/{action}</c> route when there is none).
/// </summary>
public static class ActionCatalog
{
    public const string AnyVerb = "ANY";

    public static Assembly WebAssembly => typeof(Program).Assembly;

    public static IReadOnlyList<ActionEndpoint> All { get; } = Discover(WebAssembly);

    public static IReadOnlyList<ActionEndpoint> Discover(Assembly assembly)
    {
        var endpoints = new List<ActionEndpoint>();
        var controllers = assembly.GetTypes().Where(t =>
            t is { IsClass: true, IsAbstract: false, IsPublic: true, ContainsGenericParameters: false }
            && typeof(ControllerBase).IsAssignableFrom(t)
            && !t.IsDefined(typeof(NonControllerAttribute), inherit: true));
        foreach (var controller in controllers)
        {
            var controllerTemplates = controller.GetCustomAttributes(inherit: true).OfType<IRouteTemplateProvider>()
                .Select(r => r.Template).OfType<string>().ToList();
            var actions = controller.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m =>
                !m.IsSpecialName
                && !m.IsDefined(typeof(NonActionAttribute), inherit: true)
                && m.GetBaseDefinition().DeclaringType is { } declaring
                && declaring.Assembly == assembly
                && !m.ContainsGenericParameters);
            foreach (var method in actions)
            {
                endpoints.AddRange(EndpointsOf(controller, method, controllerTemplates));
            }
        }

        return endpoints.OrderBy(e => e.Template, StringComparer.Ordinal).ThenBy(e => e.Verb, StringComparer.Ordinal).ToList();
    }

    /// <summary>The same endpoints as MVC itself registered them (its action descriptors), as <see cref="ActionEndpoint.Key"/>s.</summary>
    public static IReadOnlyList<string> RegisteredKeys(IActionDescriptorCollectionProvider provider) =>
        provider.ActionDescriptors.Items.OfType<ControllerActionDescriptor>()
            .SelectMany(d =>
            {
                var verbs = d.ActionConstraints?.OfType<HttpMethodActionConstraint>().SelectMany(c => c.HttpMethods).ToList() ?? [];
                var template = d.AttributeRouteInfo?.Template ?? $"{d.ControllerName}/{d.ActionName}";
                return (verbs.Count == 0 ? [AnyVerb] : verbs).Select(v => $"{v} /{template}");
            })
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<ActionEndpoint> EndpointsOf(Type controller, MethodInfo method, List<string> controllerTemplates)
    {
        var attributes = method.GetCustomAttributes(inherit: true);
        var verbs = attributes.OfType<IActionHttpMethodProvider>().SelectMany(p => p.HttpMethods)
            .Select(v => v.ToUpperInvariant()).Distinct().ToList();
        if (verbs.Count == 0)
        {
            verbs = [AnyVerb];
        }

        var methodTemplates = attributes.OfType<IRouteTemplateProvider>().Select(r => r.Template).OfType<string>().Distinct().ToList();
        // MVC keeps an "Async" suffix in action names for routing; [ActionName] overrides the method's name.
        var actionName = method.GetCustomAttribute<ActionNameAttribute>()?.Name ?? method.Name;
        var controllerName = controller.Name.EndsWith("Controller", StringComparison.Ordinal) ? controller.Name[..^"Controller".Length] : controller.Name;

        IEnumerable<string> templates;
        if (methodTemplates.Count == 0 && controllerTemplates.Count == 0)
        {
            templates = [$"{controllerName}/{actionName}"];
        }
        else if (methodTemplates.Count == 0)
        {
            templates = controllerTemplates;
        }
        else
        {
            templates = methodTemplates.SelectMany(t => t.StartsWith('/') || t.StartsWith("~/", StringComparison.Ordinal)
                ? [t]
                : controllerTemplates.Count == 0 ? [t] : controllerTemplates.Select(c => c.TrimEnd('/') + "/" + t));
        }

        foreach (var template in templates.Select(t => Normalize(t, controllerName, actionName)).Distinct())
        {
            foreach (var verb in verbs)
            {
                yield return new ActionEndpoint(controller, method, verb, template);
            }
        }
    }

    private static string Normalize(string template, string controllerName, string actionName) =>
        template.TrimStart('~').Trim('/')
            .Replace("[controller]", controllerName, StringComparison.Ordinal)
            .Replace("[action]", actionName, StringComparison.Ordinal);

    /// <summary>"12 of 12 (100.0 %)".</summary>
    public static string Ratio(int covered, int total) =>
        string.Create(CultureInfo.InvariantCulture, $"{covered} of {total} ({(total == 0 ? 100 : 100.0 * covered / total):0.0} %)");
}
