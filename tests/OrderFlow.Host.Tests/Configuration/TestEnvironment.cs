using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace OrderFlow.Host.Tests.Configuration;

/// <summary>A host environment with only its name set, as ASPNETCORE_ENVIRONMENT would set it.</summary>
public sealed class TestEnvironment(string name) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = name;

    public string ApplicationName { get; set; } = "OrderFlow.Host";

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
