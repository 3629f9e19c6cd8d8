using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using OrderFlow.Api;
using OrderFlow.Functions.Triggers;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Functions.Tests;

/// <summary>What the Functions app declares (built metadata, [Function] methods) and what the API maps.</summary>
internal static class FunctionsApp
{
    public static Assembly Assembly { get; } = typeof(HttpTriggers).Assembly;

    /// <summary>Timer-triggered functions: not durable tasks nor routes, so listed here by name.</summary>
    public static IReadOnlyList<string> TimerFunctions { get; } = 
    [
        nameof(ChannelSyncTimerTrigger.ChannelSyncTimer),
        nameof(ReservationReaperTimerTrigger.ReservationReaperTimer),
        nameof(WatchdogTimerTrigger.WatchdogTimer),
        nameof(ReconciliationTimerTrigger.ReconciliationTimer),
        nameof(CaseDecisionSweeperTimerTrigger.CaseDecisionSweeperTimer),
    ];

    public static IReadOnlyList<MetadataFunction> ReadMetadata()
    {
        var path = typeof(FunctionsApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "FunctionsMetadataPath").Value!;
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}; build src/OrderFlow.Functions first.");

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray()
            .Select(f => new MetadataFunction(
                f.GetProperty("name").GetString()!,
                f.GetProperty("bindings").EnumerateArray().Select(ToBinding).ToList()))
            .ToList();
    }

    /// <summary>Every method carrying [Function], keyed by the function name.</summary>
    public static IReadOnlyDictionary<string, MethodInfo> FunctionMethods() =>
        Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<Microsoft.Azure.Functions.Worker.FunctionAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToDictionary(x => x.Attribute!.Name, x => x.Method, StringComparer.Ordinal);

    /// <summary>The endpoints the API maps on an ASP.NET Core host: name, route (without the "api/" prefix) and verbs.</summary>
    public static IReadOnlyList<ApiEndpoint> ApiEndpoints()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddOrderFlowApi(new ConfigurationBuilder().Build());
        builder.Services.AddSingleton(Mock.Of<IWorkflowClient>());
        var app = builder.Build();
        app.MapOrderFlowEndpoints();

        var prefix = "/" + ApiRoutes.Prefix + "/";
        return ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(d => d.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(e =>
            {
                var route = e.RoutePattern.RawText!;
                Assert.StartsWith(prefix, route, StringComparison.Ordinal);
                return new ApiEndpoint(
                    e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? throw new InvalidOperationException($"{route} has no name."),
                    route[prefix.Length..],
                    e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => m.ToUpperInvariant()).Order(StringComparer.Ordinal).ToList(),
                    e.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>()?.PolicyName);
            })
            .ToList();
    }

    private static MetadataBinding ToBinding(JsonElement binding) => new(
        binding.GetProperty("name").GetString()!,
        binding.GetProperty("type").GetString()!,
        binding.GetProperty("direction").GetString()!,
        binding.TryGetProperty("route", out var route) ? route.GetString() : null,
        binding.TryGetProperty("methods", out var methods)
            ? methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order(StringComparer.Ordinal).ToList()
            : [],
        binding.TryGetProperty("schedule", out var schedule) ? schedule.GetString() : null);
}
