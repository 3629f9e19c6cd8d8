using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Domain.Fraud;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Tests.Harness;

/// <summary>Every port the workflow uses, faked in memory, sharing one change feed.</summary>
public sealed class FakePorts
{
    public FakePorts()
    {
        this.Orders = new FakeOrderStore(this.Feed);
        this.Payments = new FakePaymentGateway(this.Feed);
        this.Carrier = new FakeCarrierGateway(this.Feed);
        this.Fulfillment = new FakeFulfillmentProvider(this.Feed);
        this.Canceller = new FakeFulfillmentCanceller(this.Feed);
        this.Ledger = new FakeAccountingLedger(this.Feed);
        this.Notifier = new FakeCustomerNotifier(this.Feed);
        this.Cases = new FakeExceptionQueue(this.Feed);
        this.StockJournal = new FakeStockJournal(this.Feed);
        this.Reports = new FakeReconciliationReportStore(this.Feed);
        this.Returns = new FakeReturnStore(this.Feed);
        this.Inventory.UseAutomaticSplits(new OrderFlow.Workflows.Inventory.AutoSplitRegistry(this.AutoSplits));
    }

    public ChangeFeed Feed { get; } = new();

    public FakeOrderStore Orders { get; }

    public FakeDeliveryStore Deliveries { get; } = new();

    public FakeCatalog Catalog { get; } = new();

    public FakePaymentGateway Payments { get; }

    /// <summary>Payment intent -> order binding, consulted by payment verification.</summary>
    public FakePaymentEventStore PaymentIndex { get; } = new();

    /// <summary>Cancellations held for orders whose workflow did not exist yet (read by the order's first activity).</summary>
    public FakePendingCancellationStore PendingCancellations { get; } = new();

    public FakeCarrierGateway Carrier { get; }

    public FakeFulfillmentProvider Fulfillment { get; }

    public FakeFulfillmentCanceller Canceller { get; }

    public FakeAccountingLedger Ledger { get; }

    public FakeCustomerNotifier Notifier { get; }

    public FakeExceptionQueue Cases { get; }

    public FakeStockJournal StockJournal { get; }

    /// <summary>Store inventory settings (out-of-stock policy default, purchasing email).</summary>
    public InventoryOptions Inventory { get; } = new();

    /// <summary>The SKUs split automatically (Inventory:AutoSplit), shared with <see cref="Inventory"/>'s registry.</summary>
    public FakeAutoSplitStore AutoSplits { get; } = new();

    /// <summary>Store workflow settings the SKU entity reads (its backorder fill hold).</summary>
    public WorkflowOptions Workflow { get; } = new();
    public FakePaymentLedgerReader PaymentLedger { get; } = new();

    public FakeReconciliationReportStore Reports { get; }

    public FakeReturnStore Returns { get; }

    /// <summary>Recent orders by hashed email / IP / address, read and written by fraud screening.</summary>
    public FakeRecentOrderStore RecentOrders { get; } = new();

    /// <summary>Default thresholds: a provider risk of "highest" alone (score 80) holds an order for review.</summary>
    public FraudThresholds Thresholds { get; } = new();

    public void Register(IServiceCollection services)
    {
        services.AddSingleton<IOrderStore>(this.Orders);
        services.AddSingleton<IDeliveryStore>(this.Deliveries);
        services.AddSingleton<ICatalog>(this.Catalog);
        services.AddSingleton<IPaymentGateway>(this.Payments);
        services.AddSingleton<IPaymentEventStore>(this.PaymentIndex);
        services.AddSingleton<IPendingCancellationStore>(this.PendingCancellations);
        services.AddSingleton<ICarrierGateway>(this.Carrier);
        services.AddSingleton<IFulfillmentProvider>(this.Fulfillment);
        services.AddSingleton<IFulfillmentCanceller>(this.Canceller);
        services.AddSingleton<IAccountingLedger>(this.Ledger);
        services.AddSingleton<ICustomerNotifier>(this.Notifier);
        services.AddSingleton<IExceptionQueue>(this.Cases);
        services.AddSingleton<IPaymentLedgerReader>(this.PaymentLedger);
        services.AddSingleton<IReconciliationReportStore>(this.Reports);
        services.AddSingleton<IReturnStore>(this.Returns);
        services.AddSingleton(this.Thresholds);
        services.AddSingleton<IRecentOrderStore>(this.RecentOrders);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IStockJournal>(this.StockJournal);
        services.AddSingleton<IAutoSplitStore>(this.AutoSplits);
        services.AddSingleton<IStockAlerts>(this.StockJournal);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(this.Inventory));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(this.Workflow));
    }
}
