using DurableTask.Core.Entities;
using DurableTask.Core.Entities.OperationFormat;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;

namespace OrderFlow.Engine;

/// <summary>
/// Executes one entity operation batch. DurableTask.Core asks for an entity object by name only, while the
/// shim needs the entity id, so the shim is built per batch from the batch's instance id ("@name@key"),
/// around an entity class constructed in a DI scope that lives for the batch.
/// </summary>
internal sealed class ShimEntityAdapter : TaskEntity
{
    private readonly IServiceProvider services;
    private readonly Type entityType;
    private readonly ObjectFactory factory;
    private readonly TaskName name;
    private readonly DurableTaskShimFactory shimFactory;

    public ShimEntityAdapter(IServiceProvider services, Type entityType, ObjectFactory factory, TaskName name, DurableTaskShimFactory shimFactory)
    {
        this.services = services;
        this.entityType = entityType;
        this.factory = factory;
        this.name = name;
        this.shimFactory = shimFactory;
    }

    public override async Task<EntityBatchResult> ExecuteOperationBatchAsync(EntityBatchRequest operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        EntityId entityId = EntityId.FromString(operations.InstanceId
            ?? throw new ArgumentException("The entity batch has no instance id.", nameof(operations)));
        AsyncServiceScope scope = this.services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var entity = (ITaskEntity)(scope.ServiceProvider.GetService(this.entityType) ?? this.factory(scope.ServiceProvider, null));
            TaskEntity shim = this.shimFactory.CreateEntity(this.name, entity, entityId);
            return await shim.ExecuteOperationBatchAsync(operations).ConfigureAwait(false);
        }
    }
}
