using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CaseCrm.Web.Infrastructure;

/// <summary>The model binder's own messages ("the value is not valid") in the user's language.</summary>
internal sealed class LocalizedBindingMessages(IStringLocalizerFactory factory) : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions options)
    {
        var l = factory.Create(typeof(SharedResource));
        var m = options.ModelBindingMessageProvider;
        m.SetAttemptedValueIsInvalidAccessor((_, _) => l["Validation_Choice"]);
        m.SetValueIsInvalidAccessor(_ => l["Validation_Choice"]);
        m.SetValueMustBeANumberAccessor(_ => l["Validation_Number"]);
        m.SetUnknownValueIsInvalidAccessor(_ => l["Validation_Choice"]);
        m.SetNonPropertyAttemptedValueIsInvalidAccessor(_ => l["Validation_Choice"]);
        m.SetNonPropertyUnknownValueIsInvalidAccessor(() => l["Validation_Choice"]);
        m.SetNonPropertyValueMustBeANumberAccessor(() => l["Validation_Number"]);
        m.SetMissingBindRequiredValueAccessor(_ => l["Validation_Required"]);
        m.SetMissingKeyOrValueAccessor(() => l["Validation_Required"]);
        m.SetMissingRequestBodyRequiredValueAccessor(() => l["Validation_Required"]);
        m.SetValueMustNotBeNullAccessor(_ => l["Validation_Required"]);
    }
}
