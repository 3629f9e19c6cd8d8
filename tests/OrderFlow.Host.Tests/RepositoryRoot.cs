namespace OrderFlow.Host.Tests;

/// <summary>The checkout the tests run from (the folder holding OrderFlow.sln), for tests that read the docs and sources.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "OrderFlow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OrderFlow.sln not found above the test output: run the tests from the repository.");
    }
}
