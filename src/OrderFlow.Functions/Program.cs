using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using OrderFlow.Functions;
using OrderFlow.Functions.RateLimiting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<InboundRateLimitMiddleware>();
builder.Services.AddOrderFlowFunctions(builder.Configuration);
builder.Build().Run();
