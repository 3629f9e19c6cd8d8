using OrderFlow.Integrations.Email;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.FaultInjection;

/// <summary>The payment port with the Payment target's faults around every call (whichever adapter serves it).</summary>
internal sealed class FaultInjectingPaymentGateway(IPaymentGateway inner, FaultInjector faults) : IPaymentGateway
{
    public Task<PaymentVerification> VerifyAsync(VerifyPaymentRequest request, CancellationToken cancellationToken = default) =>
        faults.RunAsync(FaultInjectionOptions.Payment, ct => inner.VerifyAsync(request, ct), cancellationToken);

    public Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default) =>
        faults.RunAsync(FaultInjectionOptions.Payment, ct => inner.CaptureAsync(request, ct), cancellationToken);

    public Task<RefundResult> RefundAsync(RefundPaymentRequest request, CancellationToken cancellationToken = default) =>
        faults.RunAsync(FaultInjectionOptions.Payment, ct => inner.RefundAsync(request, ct), cancellationToken);
}

/// <summary>The carrier port with the Carrier target's faults.</summary>
internal sealed class FaultInjectingCarrierGateway(ICarrierGateway inner, FaultInjector faults) : ICarrierGateway
{
    public Task<ShippingLabel> BuyLabelAsync(LabelRequest request, CancellationToken cancellationToken = default) =>
        faults.RunAsync(FaultInjectionOptions.Carrier, ct => inner.BuyLabelAsync(request, ct), cancellationToken);

    public Task<LabelVoidResult> VoidLabelAsync(LabelVoidRequest request, CancellationToken cancellationToken = default) =>
        faults.RunAsync(FaultInjectionOptions.Carrier, ct => inner.VoidLabelAsync(request, ct), cancellationToken);
}

/// <summary>The accounting port with the Accounting target's faults.</summary>
internal sealed class FaultInjectingAccountingLedger(IAccountingLedger inner, FaultInjector faults) : IAccountingLedger
{
    public Task<string> PostSaleAsync(SaleEntry entry, CancellationToken cancellationToken = default) =>
        faults.RunAsync(FaultInjectionOptions.Accounting, ct => inner.PostSaleAsync(entry, ct), cancellationToken);

    public Task<string> PostRefundAsync(RefundEntry entry, CancellationToken cancellationToken = default) =>
        faults.RunAsync(FaultInjectionOptions.Accounting, ct => inner.PostRefundAsync(entry, ct), cancellationToken);

    public Task<IReadOnlyList<AccountingDocument>> ListDocumentsAsync(string orderId, CancellationToken cancellationToken = default) =>
        faults.RunAsync(FaultInjectionOptions.Accounting, ct => inner.ListDocumentsAsync(orderId, ct), cancellationToken);
}

/// <summary>The fulfillment hand-off port (own warehouse queue, 3PL, dropship) with the Fulfillment target's faults.</summary>
internal sealed class FaultInjectingFulfillmentProvider(IFulfillmentProvider inner, FaultInjector faults) : IFulfillmentProvider
{
    public Task<string> DispatchAsync(FulfillmentDispatch dispatch, CancellationToken cancellationToken = default) =>
        faults.RunAsync(FaultInjectionOptions.Fulfillment, ct => inner.DispatchAsync(dispatch, ct), cancellationToken);
}

/// <summary>Email (customers, approvers, purchasing) with the Email target's faults.</summary>
internal sealed class FaultInjectingEmailSender(IEmailSender inner, FaultInjector faults) : IEmailSender
{
    public Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken = default) =>
        faults.RunAsync(FaultInjectionOptions.Email, ct => inner.SendAsync(message, ct), cancellationToken);
}
