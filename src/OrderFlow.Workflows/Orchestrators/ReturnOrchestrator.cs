using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Returns;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// One instance per return (instance id "return-{orderId}-{n}"), after the order's own workflow ended: record, authorize,
/// wait for the location's receipt, restock resellable units through the SKU entities (waking backorders), refund,
/// tell the customer and post the credit note. Every side effect is an activity; judgment calls become cases.
/// </summary>
public sealed class ReturnOrchestrator : TaskOrchestrator<ReturnWorkflowInput, ReturnOutcome>
{
    public override Task<ReturnOutcome> RunAsync(TaskOrchestrationContext context, ReturnWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new Run(context, input).ExecuteAsync();
    }

    /// <summary>State of one execution.</summary>
    private sealed class Run
    {
        private const int MaxRounds = DurableCalls.MaxRounds;

        private readonly TaskOrchestrationContext context;
        private readonly ReturnWorkflowInput input;
        private readonly DurableCalls calls;
        private readonly CaseDesk desk;
        private bool received;

        public Run(TaskOrchestrationContext context, ReturnWorkflowInput input)
        {
            this.context = context;
            this.input = input;
            this.calls = new DurableCalls(context, input.Settings);

            // Cases are routed to this workflow (not the order's).
            this.desk = new CaseDesk(this.calls, input.Settings, input.OrderId, input.ReturnId, context.InstanceId, this.calls.WaitAsync<CaseDecision>);
        }

        private string ReturnId => input.ReturnId;

        private string OrderId => input.OrderId;

        /// <summary>Who the stock ledger names for this return's restocking.</summary>
        private string Actor => $"return:{ReturnId}";

        public async Task<ReturnOutcome> ExecuteAsync()
        {
            try
            {
                return await ExecuteStepsAsync();
            }
            catch (ReturnStoppedException ex)
            {
                // A person gave up on a failed step: close the return where it stands.
                var status = received ? ReturnStatus.Closed : ReturnStatus.Cancelled;
                await RawStep<bool>(nameof(UpdateReturnActivity), new ReturnUpdate(ReturnId, OrderId, status, ex.Message));
                return new ReturnOutcome(ReturnId, status, ex.Message);
            }
        }

        private async Task<ReturnOutcome> ExecuteStepsAsync()
        {
            var logger = context.CreateReplaySafeLogger<ReturnOrchestrator>();
            await Step<bool>(nameof(RecordReturnActivity), input);
            logger.LogInformation("Order {OrderId} return {ReturnId} started", OrderId, ReturnId);

            context.SetCustomStatus("authorize");
            var decision = await Step<ReturnDecision>(nameof(AuthorizeReturnActivity), input);
            if (!decision.Authorized || decision.Pricing is null)
            {
                return new ReturnOutcome(ReturnId, ReturnStatus.Refused, "Refused: " + string.Join(" ", decision.Reasons));
            }

            var receipt = await AwaitReceiptAsync();
            if (receipt is null)
            {
                const string NotReceived = "Not received before the deadline; closed.";
                await Step<bool>(nameof(UpdateReturnActivity), new ReturnUpdate(ReturnId, OrderId, ReturnStatus.Cancelled, NotReceived));
                return new ReturnOutcome(ReturnId, ReturnStatus.Cancelled, NotReceived);
            }

            received = true;
            var units = Sort(receipt);
            var resellable = Units(units, UnitCondition.Resellable);
            var damaged = Units(units, UnitCondition.Damaged);
            var missing = Units(units, UnitCondition.Missing);
            var note = $"At {receipt.Location}: restocked [{Format(resellable)}], written off as damaged [{Format(damaged)}], missing [{Format(missing)}].";
            await Step<bool>(nameof(UpdateReturnActivity), new ReturnUpdate(ReturnId, OrderId, ReturnStatus.Received, note, receipt with { Units = units }));
            await RestockAsync(receipt.Location, resellable);

            var occurredOn = context.CurrentUtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var arrived = resellable.Concat(damaged).GroupBy(u => u.Sku, StringComparer.Ordinal)
                .Select(g => (Sku: g.Key, Quantity: g.Sum(u => u.Quantity))).OrderBy(u => u.Sku, StringComparer.Ordinal).ToList();
            await NotifyAsync(new CustomerNotification(OrderId, Milestone.ReturnReceived, null, ReturnId, new Dictionary<string, string>
            {
                [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems(arrived),
                [CustomerNotification.DetailKeys.OccurredOn] = occurredOn,
            }));

            var quote = ReturnPolicy.Quote(arrived, decision.Pricing, input.RefundShipping, input.Rules);
            if (quote.Total.MinorUnits <= 0)
            {
                const string Nothing = "Nothing to refund.";
                await Step<bool>(nameof(UpdateReturnActivity), new ReturnUpdate(ReturnId, OrderId, ReturnStatus.Closed, Nothing, Refund: quote));
                return new ReturnOutcome(ReturnId, ReturnStatus.Closed, Nothing);
            }

            var refund = await RefundAsync(decision, quote);
            if (refund is not { Succeeded: true, Result: { } paid, Key: var key })
            {
                const string GaveUp = "The refund was refused and a person gave up on it.";
                await Step<bool>(nameof(UpdateReturnActivity), new ReturnUpdate(ReturnId, OrderId, ReturnStatus.Closed, GaveUp, Refund: quote));
                return new ReturnOutcome(ReturnId, ReturnStatus.Closed, GaveUp);
            }

            var summary = $"Refunded {quote.Total} (items {quote.Items}, tax {quote.Tax}, shipping {quote.Shipping}, restocking fee {quote.RestockingFee}).";
            await Step<bool>(nameof(UpdateReturnActivity), new ReturnUpdate(ReturnId, OrderId, ReturnStatus.Refunded, summary, Refund: quote, RefundReference: paid.ProviderReference));
            await NotifyAsync(new CustomerNotification(OrderId, Milestone.Refunded, null, ReturnId, new Dictionary<string, string>
            {
                [CustomerNotification.DetailKeys.Amount] = quote.Total.MinorUnits.ToString(CultureInfo.InvariantCulture),
                [CustomerNotification.DetailKeys.Items] = CustomerNotification.FormatItems(arrived),
                [CustomerNotification.DetailKeys.OccurredOn] = occurredOn,
            }));
            await Step<string>(nameof(PostRefundActivity), new RefundEntry(
                OrderId, decision.OrderNumber, quote.Total, quote.Tax, $"Return {ReturnId}: {input.Reason}", key));
            logger.LogInformation("Order {OrderId} return {ReturnId} refunded", OrderId, ReturnId);
            return new ReturnOutcome(ReturnId, ReturnStatus.Refunded, summary);
        }

        /// <summary>Waits for the signed receipt; at each deadline a ReturnNotReceived case decides: wait again or close (null).</summary>
        private async Task<ReturnReceipt?> AwaitReceiptAsync()
        {
            for (var round = 1; round <= MaxRounds; round++)
            {
                context.SetCustomStatus("awaiting-receipt");
                var receipt = await WaitAsync<ReturnReceipt>(ReturnReceipt.EventName(ReturnId), input.ReceiveDeadline);
                if (receipt is not null)
                {
                    return receipt;
                }

                var error = $"Return {ReturnId} was not received within {input.ReceiveDeadline}.";
                if (await EscalateAsync(ExceptionReason.ReturnNotReceived, "receive", error) != CaseResolution.RetryStep)
                {
                    return null;
                }
            }

            return null;
        }

        /// <summary>
        /// Units per the requested lines: what the location listed (no more per SKU than requested; SKUs not requested
        /// are ignored), and every requested unit it did not list as Missing.
        /// </summary>
        private List<ReturnedUnit> Sort(ReturnReceipt receipt)
        {
            var left = input.Lines.GroupBy(l => l.Sku, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity), StringComparer.Ordinal);
            var units = new List<ReturnedUnit>();
            foreach (var unit in receipt.Units ?? [])
            {
                if (left.TryGetValue(unit.Sku, out var remaining) && remaining > 0)
                {
                    units.Add(unit);
                    left[unit.Sku] = remaining - 1;
                }
            }

            foreach (var (sku, remaining) in left.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                units.AddRange(Enumerable.Repeat(new ReturnedUnit(sku, UnitCondition.Missing), remaining));
            }

            return units;
        }

        private static List<(string Sku, int Quantity)> Units(IEnumerable<ReturnedUnit> units, UnitCondition condition) =>
            [.. units.Where(u => u.Condition == condition).GroupBy(u => u.Sku, StringComparer.Ordinal)
                .Select(g => (g.Key, g.Count())).OrderBy(u => u.Key, StringComparer.Ordinal)];

        private static string Format(IEnumerable<(string Sku, int Quantity)> units) => string.Join(", ", units.Select(u => $"{u.Quantity} x {u.Sku}"));

        /// <summary>Adds resellable units at the receiving location (ledger reason "return") and wakes the backorders they fill.</summary>
        private async Task RestockAsync(string location, IEnumerable<(string Sku, int Quantity)> resellable)
        {
            foreach (var (sku, quantity) in resellable)
            {
                var change = await InventoryCall<StockChangeResult>(sku, nameof(InventoryEntity.Adjust),
                    new AdjustStockRequest(location, quantity, Actor, StockReasons.Return, OrderId));
                await StockEvents.AfterChangeAsync(context, sku, change.Filled, change.Alert, calls.Retry);
            }
        }

        /// <summary>
        /// Refunds through the provider under the return's keys (return id + "refund", "-{round}" after a retry). A refusal
        /// opens a RefundFailed case: RetryStep asks again under a new key (the provider keeps a refused request's answer
        /// under its key), anything else gives up (not succeeded). From <see cref="ReturnWorkflowVersions.RefundsAsChild"/>
        /// the order workflow's refund child does it (<see cref="RefundOrchestrator"/>, "{returnId}:refund-1").
        /// </summary>
        private async Task<RefundOutcome> RefundAsync(ReturnDecision decision, RefundQuote quote)
        {
            const string KeyStep = "refund";
            if (input.Runs(ReturnWorkflowVersions.RefundsAsChild))
            {
                context.SetCustomStatus("refund");
                var request = new RefundWorkflowInput(
                    OrderId, decision.PaymentReference ?? string.Empty, quote.Total, $"return {ReturnId}", context.InstanceId, KeyStep,
                    ReturnId, "refund-1", KeyStep, input.Settings);
                return await context.CallSubOrchestratorAsync<RefundOutcome>(
                    nameof(RefundOrchestrator), request, new SubOrchestrationOptions(instanceId: RefundWorkflowInput.InstanceIdFor(ReturnId, 1)));
            }

            return await RefundRounds.RunAsync(
                round => RefundWorkflowInput.KeyFor(context.InstanceId, KeyStep, round),
                async key =>
                {
                    context.SetCustomStatus("refund");
                    var result = await Step<RefundResult>(nameof(RefundPaymentActivity), new RefundPaymentRequest(
                        OrderId, decision.PaymentReference ?? string.Empty, quote.Total, $"return {ReturnId}", key));
                    return (result, $"Refund of {quote.Total} for return {ReturnId} was refused: {result.FailureReason ?? "no reason given"}.");
                },
                error => EscalateAsync(ExceptionReason.RefundFailed, KeyStep, error));
        }

        /// <summary>Opens a case and waits for a person's decision (a reminder halfway); at the deadline the reason's default applies.</summary>
        private async Task<CaseResolution> EscalateAsync(ExceptionReason reason, string step, string error)
        {
            var caseId = await desk.OpenAsync(reason, step, step, error);
            context.SetCustomStatus($"on-hold:{caseId}");
            var (resolution, _) = await desk.DecideAsync(caseId, reason);
            context.CreateReplaySafeLogger<ReturnOrchestrator>().LogInformation(
                "Order {OrderId} return {ReturnId} case {CaseId} resolved as {Resolution}", OrderId, ReturnId, caseId, resolution);
            return resolution;
        }

        /// <summary>
        /// An activity under the retry policy; when it still fails, an UnhandledStepFailure case asks a person: RetryStep
        /// runs it again, anything else stops the return (<see cref="ReturnStoppedException"/>). Bounded by <see cref="MaxRounds"/>.
        /// </summary>
        private Task<T> Step<T>(string activity, object activityInput) =>
            calls.StepAsync<T>(
                activity,
                activityInput,
                (step, error) => EscalateAsync(ExceptionReason.UnhandledStepFailure, step, error),
                error => new ReturnStoppedException($"Stopped: step {activity} failed ({error})."));

        private Task<T> RawStep<T>(string activity, object activityInput) => calls.ActivityAsync<T>(activity, activityInput);

        private Task NotifyAsync(CustomerNotification notification) => desk.NotifyAsync(notification);

        private Task<T> InventoryCall<T>(string sku, string operation, object operationInput) => calls.InventoryAsync<T>(sku, operation, operationInput);

        private Task<T?> WaitAsync<T>(string eventName, TimeSpan timeout)
            where T : class => calls.WaitAsync<T>(eventName, timeout);
    }

    /// <summary>A person gave up on a failed step; caught once, in <c>ExecuteAsync</c>.</summary>
    private sealed class ReturnStoppedException(string message) : Exception(message);
}
