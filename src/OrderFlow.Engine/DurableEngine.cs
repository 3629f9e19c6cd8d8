using DurableTask.Core;
using DurableTask.Core.Entities;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrderFlow.Engine;

/// <summary>
/// The one-machine durable engine: runs the registered class-based orchestrators, activities and entities
/// on DurableTask.Core's <see cref="TaskHubWorker"/> through <see cref="DurableTaskShimFactory"/>, over the
/// configured backend. Start and stop it as a hosted service.
/// </summary>
public sealed class DurableEngine : IHostedService, IAsyncDisposable
{
    private readonly DurableEngineRegistry registry;
    private readonly IServiceProvider services;
    private readonly DurableEngineOptions options;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private TaskHubWorker? worker;
    private int disposed;

    /// <summary>Creates the engine and its backend; nothing runs until <see cref="StartAsync"/>.</summary>
    public DurableEngine(
        DurableEngineRegistry registry,
        IServiceProvider services,
        IOptions<DurableEngineOptions> options,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.registry = registry ?? throw new ArgumentNullException(nameof(registry));
        this.services = services ?? throw new ArgumentNullException(nameof(services));
        this.options = options.Value;
        this.loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        this.logger = loggerFactory.CreateLogger<DurableEngine>();
        this.OrchestrationService = OrchestrationServiceFactory.Create(this.options, loggerFactory);
    }

    /// <summary>
    /// The backend this engine owns (disposed with the engine). Clients of the same engine must use this
    /// instance: the in-memory backend exists only inside it.
    /// </summary>
    public IOrchestrationService OrchestrationService { get; }

    /// <summary>The settings the engine runs with.</summary>
    public DurableEngineOptions Options => this.options;

    /// <summary>Whether the worker is running.</summary>
    public bool IsRunning => this.worker is not null;

    /// <summary>Creates the task hub if needed and starts dispatching work items.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await this.gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (this.worker is not null)
            {
                return;
            }

            this.options.Validate();
            if (this.OrchestrationService is not IEntityOrchestrationService { EntityBackendProperties.UseSeparateQueueForEntityWorkItems: true })
            {
                throw new InvalidOperationException("The durable engine backend must dispatch entity work items separately.");
            }

            await this.OrchestrationService.CreateIfNotExistsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            TaskHubWorker created = this.CreateWorker();

            // Not cancelled once begun, so a started worker is never left untracked.
            try
            {
                await created.StartAsync().ConfigureAwait(false);
            }
            catch
            {
                created.Dispose();
                throw;
            }

            this.worker = created;
            this.logger.LogInformation(
                "Durable engine started: backend {Backend}, task hub {TaskHub}, worker {WorkerId}, {Orchestrators} orchestrators, {Activities} activities, {Entities} entities.",
                this.options.Backend,
                this.options.TaskHubName,
                this.options.WorkerId,
                this.registry.Orchestrators.Count,
                this.registry.Activities.Count,
                this.registry.Entities.Count);
        }
        finally
        {
            this.gate.Release();
        }
    }

    /// <summary>Stops fetching new work, lets running work items finish, and releases partition leases.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await this.gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (this.worker is not { } running)
            {
                return;
            }

            this.worker = null;
            await running.StopAsync(isForced: false).ConfigureAwait(false);
            running.Dispose();
            this.logger.LogInformation("Durable engine stopped: task hub {TaskHub}.", this.options.TaskHubName);
        }
        finally
        {
            this.gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // The container may dispose the engine twice (as itself and as a hosted service).
        if (Interlocked.Exchange(ref this.disposed, 1) != 0)
        {
            return;
        }

        // Stop the worker before the backend goes away, so dispatchers are not left polling a disposed service.
        await this.StopAsync(CancellationToken.None).ConfigureAwait(false);
        (this.OrchestrationService as IDisposable)?.Dispose();
    }

    private TaskHubWorker CreateWorker()
    {
        var shimFactory = new DurableTaskShimFactory(
            new DurableTaskWorkerOptions { EnableEntitySupport = true, DataConverter = this.options.DataConverter },
            this.loggerFactory);

        var created = new TaskHubWorker(this.OrchestrationService, this.loggerFactory)
        {
            // The shims turn failure details into TaskFailedException for orchestrator code.
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };

        created.AddOrchestrationDispatcherMiddleware(SupplyParentInstanceAsync);

        foreach ((string name, Type type) in this.registry.Orchestrators)
        {
            ObjectFactory factory = ActivatorUtilities.CreateFactory(type, Type.EmptyTypes);
            var taskName = new TaskName(name);
            created.AddTaskOrchestrations(new DelegateObjectCreator<TaskOrchestration>(
                name,
                () => new ShimOrchestrationAdapter(parent =>
                    shimFactory.CreateOrchestration(taskName, (ITaskOrchestrator)factory(this.services, null), parent))));
        }

        foreach ((string name, Type type) in this.registry.Activities)
        {
            var adapter = new ShimActivityAdapter(this.services, type, ActivatorUtilities.CreateFactory(type, Type.EmptyTypes), new TaskName(name), shimFactory);
            created.AddTaskActivities(new DelegateObjectCreator<TaskActivity>(name, () => adapter));
        }

        foreach ((string name, Type type) in this.registry.Entities)
        {
            var adapter = new ShimEntityAdapter(this.services, type, ActivatorUtilities.CreateFactory(type, Type.EmptyTypes), new TaskName(name), shimFactory);
            created.AddTaskEntities(new DelegateObjectCreator<TaskEntity>(name, () => adapter));
        }

        return created;
    }

    private static Task SupplyParentInstanceAsync(DurableTask.Core.Middleware.DispatchMiddlewareContext context, Func<Task> next)
    {
        if (context.GetProperty<TaskOrchestration>() is ShimOrchestrationAdapter { Parent: null } adapter
            && context.GetProperty<OrchestrationRuntimeState>()?.ParentInstance is { } parent)
        {
            adapter.Parent = new ParentOrchestrationInstance(new TaskName(parent.Name), parent.OrchestrationInstance.InstanceId);
        }

        return next();
    }
}
