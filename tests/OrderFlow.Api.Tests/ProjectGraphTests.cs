using System.Xml.Linq;

namespace OrderFlow.Api.Tests;

/// <summary>
/// The project graph of docs/development.md and ARCHITECTURE: Domain &lt;- Workflows &lt;- Integrations and Api &lt;- hosts.
/// Api reaches adapters only through the ports in Workflows; the hosts wire Integrations into them.
/// </summary>
public sealed class ProjectGraphTests
{
    public static TheoryData<string, string[]> SourceProjects() => new()
    {
        { "OrderFlow.Domain", [] },
        { "OrderFlow.Workflows", ["OrderFlow.Domain"] },
        { "OrderFlow.Integrations", ["OrderFlow.Workflows"] },
        { "OrderFlow.Api", ["OrderFlow.Workflows"] },
        { "OrderFlow.Engine", [] },
        { "OrderFlow.Functions", ["OrderFlow.Api", "OrderFlow.Integrations"] },
        { "OrderFlow.Host", ["OrderFlow.Api", "OrderFlow.Engine", "OrderFlow.Integrations"] },
    };

    [Fact]
    public void ApiAssembly_ReferencesWorkflowsAndNotIntegrations()
    {
        var referenced = typeof(ApiRoutes).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("OrderFlow.Workflows", referenced);
        Assert.DoesNotContain("OrderFlow.Integrations", referenced);
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void ProjectReferences_PointOneWay(string project, string[] expected)
    {
        var path = Path.Combine(RepositoryRoot(), "src", project, project + ".csproj");
        var references = XDocument.Load(path).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(expected, references);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrderFlow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"OrderFlow.sln not found above {AppContext.BaseDirectory}.");
    }
}
