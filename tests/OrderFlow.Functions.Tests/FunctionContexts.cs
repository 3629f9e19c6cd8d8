using Microsoft.Azure.Functions.Worker;
using Moq;

namespace OrderFlow.Functions.Tests;

/// <summary>Minimal <see cref="FunctionContext"/> doubles: a function name and a service provider.</summary>
internal static class FunctionContexts
{
    public static FunctionContext For(string functionName, IServiceProvider services)
    {
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns(functionName);
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        context.SetupGet(c => c.InstanceServices).Returns(services);
        return context.Object;
    }
}
