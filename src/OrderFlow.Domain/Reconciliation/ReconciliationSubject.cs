namespace OrderFlow.Domain.Reconciliation;

/// <summary>Which side of the three-way match a mismatch is about (with the kind, it names the case).</summary>
public static class ReconciliationSubject
{
    /// <summary>Net payment (captured - refunded) against the fulfilled value.</summary>
    public const string Payment = "payment";

    /// <summary>Refunds at the provider against goods received back.</summary>
    public const string Refund = "refund";

    /// <summary>Sale documents against the fulfilled value.</summary>
    public const string AccountingSale = "accounting-sale";

    /// <summary>Refund documents (credit notes) against refunds at the provider.</summary>
    public const string AccountingRefund = "accounting-refund";
}
