using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Moq;
using OrderFlow.Workflows;

namespace OrderFlow.Functions.Tests;

/// <summary>The [Function] methods in code match the registry and the API one to one, with matching types.</summary>
public sealed class FunctionParityTests
{
    private readonly IReadOnlyDictionary<string, MethodInfo> methods = FunctionsApp.FunctionMethods();

    [Fact]
    public void FunctionNames_EqualRegistryNamesPlusApiEndpointNames()
    {
        var expected = WorkflowRegistry.Orchestrators.Concat(WorkflowRegistry.Activities).Concat(WorkflowRegistry.Entities)
            .Select(t => t.Name)
            .Concat(FunctionsApp.ApiEndpoints().Select(e => e.Name))
            .Concat(FunctionsApp.TimerFunctions)
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, methods.Keys.Order(StringComparer.Ordinal));
    }

    public static TheoryData<Type> Orchestrators() => [.. WorkflowRegistry.Orchestrators];

    public static TheoryData<Type> Activities() => [.. WorkflowRegistry.Activities];

    public static TheoryData<Type> Entities() => [.. WorkflowRegistry.Entities];

    [Theory]
    [MemberData(nameof(Orchestrators))]
    public void OrchestratorFunction_TakesContextAndInput_ReturnsOutputOfItsClass(Type orchestrator)
    {
        var (input, output) = GenericArguments(orchestrator, typeof(TaskOrchestrator<,>));
        var method = methods[orchestrator.Name];
        var parameters = method.GetParameters();

        Assert.Equal(2, parameters.Length);
        Assert.Equal(typeof(TaskOrchestrationContext), parameters[0].ParameterType);
        Assert.NotNull(parameters[0].GetCustomAttribute<OrchestrationTriggerAttribute>());
        Assert.Equal(input, parameters[1].ParameterType);
        Assert.Equal(typeof(Task<>).MakeGenericType(output), method.ReturnType);
    }

    [Theory]
    [MemberData(nameof(Activities))]
    public void ActivityFunction_TakesInputOfItsClass_ReturnsItsOutput(Type activity)
    {
        var (input, output) = GenericArguments(activity, typeof(TaskActivity<,>));
        var method = methods[activity.Name];
        var trigger = Assert.Single(method.GetParameters(), p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);

        Assert.Equal(input, trigger.ParameterType);
        Assert.Equal(typeof(Task<>).MakeGenericType(output), method.ReturnType);
        Assert.Contains(method.GetParameters(), p => p.Name == "instanceId" && p.ParameterType == typeof(string));
    }

    [Theory]
    [MemberData(nameof(Activities))]
    public async Task ActivityFunction_Invoked_ResolvesItsOwnActivityClass(Type activity)
    {
        // A service provider that resolves nothing, but records what was asked for.
        var requested = new List<Type>();
        var services = new Mock<IServiceProvider>();
        services.Setup(s => s.GetService(It.IsAny<Type>())).Callback<Type>(requested.Add).Returns(null!);
        var context = FunctionContexts.For(activity.Name, services.Object);

        var method = methods[activity.Name];
        var arguments = method.GetParameters()
            .Select(p => p.ParameterType == typeof(FunctionContext) ? context : p.Name == "instanceId" ? "instance-1" : Default(p.ParameterType))
            .ToArray();

        await Assert.ThrowsAsync<InvalidOperationException>(() => (Task)method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, arguments, null)!);
        Assert.Equal([activity], requested);
    }

    [Theory]
    [MemberData(nameof(Entities))]
    public void EntityFunction_TakesDispatcher(Type entity)
    {
        Assert.True(entity.IsAssignableTo(typeof(ITaskEntity)));
        var parameter = Assert.Single(methods[entity.Name].GetParameters());

        Assert.Equal(typeof(TaskEntityDispatcher), parameter.ParameterType);
        Assert.NotNull(parameter.GetCustomAttribute<EntityTriggerAttribute>());
    }

    private static (Type Input, Type Output) GenericArguments(Type type, Type openBase)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == openBase)
            {
                var arguments = current.GetGenericArguments();
                return (arguments[0], arguments[1]);
            }
        }

        throw new InvalidOperationException($"{type.Name} does not derive from {openBase.Name}.");
    }

    private static object? Default(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;
}
