using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace OrderFlow.Engine;

/// <summary>
/// The orchestrator, activity and entity classes the engine runs. A task's name is its class name
/// (<c>nameof(MyOrchestrator)</c>); entity names are compared lower-cased, as entity ids normalize them.
/// </summary>
public sealed class DurableEngineRegistry
{
    private readonly Dictionary<string, Type> orchestrators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Type> activities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Type> entities = new(StringComparer.Ordinal);

    /// <summary>Orchestrator types by task name.</summary>
    public IReadOnlyDictionary<string, Type> Orchestrators => this.orchestrators;

    /// <summary>Activity types by task name.</summary>
    public IReadOnlyDictionary<string, Type> Activities => this.activities;

    /// <summary>Entity types by lower-cased entity name (the form stored in entity instance ids).</summary>
    public IReadOnlyDictionary<string, Type> Entities => this.entities;

    /// <summary>Registers an orchestrator class (a <see cref="TaskOrchestrator{TInput,TOutput}"/>) under its class name.</summary>
    public DurableEngineRegistry AddOrchestrator<TOrchestrator>()
        where TOrchestrator : class, ITaskOrchestrator
        => this.AddOrchestrator(typeof(TOrchestrator));

    /// <summary>Registers an activity class (a <see cref="TaskActivity{TInput,TOutput}"/>) under its class name.</summary>
    public DurableEngineRegistry AddActivity<TActivity>()
        where TActivity : class, ITaskActivity
        => this.AddActivity(typeof(TActivity));

    /// <summary>Registers an entity class (a <see cref="TaskEntity{TState}"/>) under its class name.</summary>
    public DurableEngineRegistry AddEntity<TEntity>()
        where TEntity : class, ITaskEntity
        => this.AddEntity(typeof(TEntity));

    /// <summary>Registers an orchestrator type; <paramref name="name"/> overrides the class name (e.g. a test fake).</summary>
    public DurableEngineRegistry AddOrchestrator(Type type, string? name = null)
    {
        Add(this.orchestrators, type, typeof(ITaskOrchestrator), name ?? type.Name, "orchestrator");
        return this;
    }

    /// <summary>Registers an activity type; <paramref name="name"/> overrides the class name (e.g. a test fake).</summary>
    public DurableEngineRegistry AddActivity(Type type, string? name = null)
    {
        Add(this.activities, type, typeof(ITaskActivity), name ?? type.Name, "activity");
        return this;
    }

    /// <summary>Registers an entity type; <paramref name="name"/> overrides the class name (e.g. a test fake).</summary>
    public DurableEngineRegistry AddEntity(Type type, string? name = null)
    {
        Add(this.entities, type, typeof(ITaskEntity), (name ?? type.Name).ToLowerInvariant(), "entity");
        return this;
    }

    private static void Add(Dictionary<string, Type> target, Type type, Type contract, string name, string kind)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!contract.IsAssignableFrom(type) || type.IsAbstract || type.IsInterface || type.ContainsGenericParameters)
        {
            throw new ArgumentException($"{type.FullName} is not a concrete {contract.Name} and cannot be registered as an {kind}.", nameof(type));
        }

        if (name.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {kind} name '{name}' must not contain '@'.", nameof(name));
        }

        if (!target.TryAdd(name, type))
        {
            throw new InvalidOperationException($"An {kind} named '{name}' is already registered ({target[name].FullName}).");
        }
    }
}
