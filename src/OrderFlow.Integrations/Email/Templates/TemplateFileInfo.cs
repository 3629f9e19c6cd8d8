using System.Text;
using Microsoft.Extensions.FileProviders;

namespace OrderFlow.Integrations.Email.Templates;

/// <summary>One in-memory template file.</summary>
internal sealed class TemplateFileInfo(string name, string text) : IFileInfo
{
    private readonly byte[] content = Encoding.UTF8.GetBytes(text);

    public bool Exists => true;

    public long Length => content.Length;

    public string? PhysicalPath => null;

    public string Name => name;

    public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;

    public bool IsDirectory => false;

    public Stream CreateReadStream() => new MemoryStream(content, writable: false);
}
