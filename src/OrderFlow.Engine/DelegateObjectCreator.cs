using DurableTask.Core;

namespace OrderFlow.Engine;

/// <summary>Hands DurableTask.Core a fresh task object per work item from a factory delegate.</summary>
internal sealed class DelegateObjectCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> create;

    public DelegateObjectCreator(string name, Func<T> create)
    {
        this.Name = name;
        this.Version = string.Empty;
        this.create = create;
    }

    public override T Create() => this.create();
}
