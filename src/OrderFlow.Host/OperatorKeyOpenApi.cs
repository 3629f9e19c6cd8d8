using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OrderFlow.Api.Options;

namespace OrderFlow.Host;

/// <summary>
/// Declares X-Operator-Key in the OpenAPI description: an apiKey security scheme, required by every operation whose
/// endpoint is marked <see cref="OperatorKeyRequired"/>.
/// </summary>
public static class OperatorKeyOpenApi
{
    public const string SchemeName = "OperatorKey";

    public static OpenApiOptions AddOperatorKeySecurity(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = OperatorKey.Header,
                Description = "Operations:OperatorKey. Missing or wrong: 401 problem+json.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<OperatorKeyRequired>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
            }

            return Task.CompletedTask;
        });
        return options;
    }
}
