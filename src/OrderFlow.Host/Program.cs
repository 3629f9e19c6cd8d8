using OrderFlow.Api;
using OrderFlow.Host;
using OrderFlow.Engine;

// The one-machine host: the same handlers and workflow classes as the Functions app, on the in-process engine.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOrderFlowHost(builder.Configuration);

var app = builder.Build();
app.UseForwardedHeaders();
app.UseRedactedRequestLog();
app.UseRateLimiter();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapGet("/healthz", (DurableEngine engine) => engine.IsRunning ? Results.Ok(new { status = "ok" }) : Results.StatusCode(503))
    .ExcludeFromDescription();
app.MapOrderFlowEndpoints();
app.Run();

/// <summary>Entry point type, visible to tests that start the host in-process.</summary>
public partial class Program;
