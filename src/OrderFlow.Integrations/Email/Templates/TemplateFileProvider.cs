using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace OrderFlow.Integrations.Email.Templates;

/// <summary>Serves the partial templates to Liquid's <c>include</c> tag from memory (they ship as embedded resources).</summary>
internal sealed class TemplateFileProvider(IReadOnlyDictionary<string, string> files) : IFileProvider
{
    public IFileInfo GetFileInfo(string subpath)
    {
        var name = subpath.TrimStart('/', '\\');
        return files.TryGetValue(name, out var text) ? new TemplateFileInfo(name, text) : new NotFoundFileInfo(name);
    }

    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;
}
