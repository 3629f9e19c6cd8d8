using System.Reflection;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Finds OrderFlow.Host.dll: the host project's build output for the same configuration and target framework as
/// this test assembly (the project reference with ReferenceOutputAssembly=false builds it first).
/// </summary>
public static class HostBuildOutput
{
    private const string HostProject = "src/OrderFlow.Host/OrderFlow.Host.csproj";

    public static string HostDllPath()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var targetFramework = testOutput.Name;
        var configuration = typeof(HostBuildOutput).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
            ?? testOutput.Parent?.Name
            ?? "Debug";

        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, HostProject)))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No {HostProject} above the test output folder {testOutput.FullName}.");
        }

        var dll = Path.Combine(root.FullName, "src", "OrderFlow.Host", "bin", configuration, targetFramework, "OrderFlow.Host.dll");
        return File.Exists(dll)
            ? dll
            : throw new InvalidOperationException(
                $"The host is not built at {dll}. Build it with: dotnet build src/OrderFlow.Host -c {configuration} " +
                "(dotnet test of this project builds it through its project reference).");
    }
}
